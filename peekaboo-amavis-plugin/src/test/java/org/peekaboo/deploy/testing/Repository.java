package org.peekaboo.deploy.testing;

import java.nio.file.Path;

/** The checkout the build runs in (set by the module's Surefire configuration). */
public final class Repository {
    private Repository() {
    }

    public static Path root() {
        String root = System.getProperty("peekaboo.repository");
        if (root == null) {
            throw new IllegalStateException("system property peekaboo.repository is not set; run the tests with Maven");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }
}
