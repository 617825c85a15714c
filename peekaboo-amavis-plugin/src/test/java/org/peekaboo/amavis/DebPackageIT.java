package org.peekaboo.amavis;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peekaboo.testing.RootScript;

/**
 * The Debian package this build made, for real: scripts/deb-test runs lintian on it, then
 * installs a lower-version copy into a Debian 12 root made with debootstrap, checks files,
 * owners, modes, the user and the unit, starts the daemon as the unit would (its user, its
 * system call filter, a real notify socket that must get READY=1 and watchdog pings) and has
 * amavis' user ask it, then upgrades, removes, purges and installs again. The script is the
 * test; this class only makes {@code mvn verify} run it, with the package this build made. Its
 * output is kept in target/deb-test.log.
 */
class DebPackageIT {
    @Test
    void packageInstallsUpgradesRemovesAndPurgesInADebian12Root() throws IOException, InterruptedException {
        RootScript.runAndAssert("deb-test", Map.of("PEEKABOO_DEB", RootScript.builtDebianPackage().toString()));
    }

    /**
     * scripts/deb-boot-test: the same root booted with systemd-nspawn, systemd 252 as PID 1, and
     * {@code apt install ./peekaboo_*.deb} in it as an admin runs it; what the chroot cannot
     * show is checked on the service the package's scripts started: active only after
     * READY=1, the hardening in effect on the running JVM, the journal's priorities, watchdog
     * pings and a hung JVM restarted, a clean stop, the restart on upgrade, remove and purge.
     * Output in target/deb-boot-test.log.
     */
    @Test
    void packageRunsAsAHardenedNotifyServiceOnABootedDebian12() throws IOException, InterruptedException {
        RootScript.runAndAssert("deb-boot-test", Map.of("PEEKABOO_DEB", RootScript.builtDebianPackage().toString()));
    }
}
