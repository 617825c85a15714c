package org.peekaboo.cli;

import org.peekaboo.daemon.Daemon;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest; a development build says so. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Peekaboo " + Daemon.version(),
                "Java " + Runtime.version() + " " + System.getProperty("java.vendor", "")};
    }
}
