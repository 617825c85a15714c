package org.peekaboo.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest; a development build says so. */
final class VersionProvider implements IVersionProvider {
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Peekaboo " + version(),
                "Java " + Runtime.version() + " " + System.getProperty("java.vendor", "")};
    }
}
