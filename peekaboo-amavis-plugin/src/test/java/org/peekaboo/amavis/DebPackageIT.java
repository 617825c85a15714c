package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

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
    /** Guards against a hung apt or chroot only; a normal run takes about a minute. */
    private static final long HANG_GUARD_MINUTES = 30;

    @Test
    void packageInstallsUpgradesRemovesAndPurgesInADebian12Root() throws IOException, InterruptedException {
        Path project = Path.of(System.getProperty("peekaboo.projectDir")).toAbsolutePath().normalize();
        Path deb = newestPackage(Path.of(System.getProperty("peekaboo.server.deb")).toAbsolutePath().normalize());
        Path log = project.resolve("peekaboo-amavis-plugin/target/deb-test.log");
        Files.createDirectories(log.getParent());

        ProcessBuilder builder = new ProcessBuilder(List.of("bash", project.resolve("scripts/deb-test").toString()))
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PEEKABOO_DEB", deb.toString());
        Process process = builder.start();
        boolean finished = process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as("scripts/deb-test still ran after %d minutes; its output:%n%s",
                HANG_GUARD_MINUTES, output).isTrue();
        assertThat(process.exitValue()).as("exit code of scripts/deb-test; its output:%n%s", output).isZero();
        assertThat(output).containsPattern("(?m)^deb-test: [1-9][0-9]* passed, 0 failed$");
    }

    /**
     * The package's file name carries its Debian version, which only peekaboo-server's build
     * computes: the property names the directory, and the package made last is this build's.
     */
    private static Path newestPackage(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("peekaboo_.+_amd64\\.deb"))
                    .max(Comparator.comparing(DebPackageIT::modified))
                    .orElseThrow(() -> new IOException("no peekaboo_*_amd64.deb in " + directory
                            + ": peekaboo-server's build makes it unless -Dpeekaboo.deb.skip=true"));
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
