package org.peekaboo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ITs whose test is a script under scripts/ run in a Debian root (scripts/ansible-test,
 * scripts/deb-test, scripts/deb-boot-test): runs one with the project as working directory, keeps its output in the
 * plugin module's target/, and asserts that it finished, exited with 0 and printed its
 * closing line "NAME: N passed, 0 failed".
 */
public final class RootScript {
    /** Guards against a hung apt or chroot only; a normal run takes a few minutes. */
    private static final long HANG_GUARD_MINUTES = 30;

    private RootScript() {
    }

    /** The project's root, as the failsafe configuration passes it. */
    public static Path projectDir() {
        return Path.of(System.getProperty("peekaboo.projectDir")).toAbsolutePath().normalize();
    }

    /** Runs scripts/NAME with the environment added and asserts its result. */
    public static void runAndAssert(String name, Map<String, String> environment) throws IOException, InterruptedException {
        Path project = projectDir();
        Path log = project.resolve("peekaboo-amavis-plugin/target/" + name + ".log");
        Files.createDirectories(log.getParent());

        ProcessBuilder builder = new ProcessBuilder(List.of("bash", project.resolve("scripts/" + name).toString()))
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as("scripts/%s still ran after %d minutes; its output:%n%s",
                name, HANG_GUARD_MINUTES, output).isTrue();
        assertThat(process.exitValue()).as("exit code of scripts/%s; its output:%n%s", name, output).isZero();
        assertThat(output).containsPattern("(?m)^" + name + ": [1-9][0-9]* passed, 0 failed$");
    }

    /**
     * The Debian package peekaboo-server's build made. Its file name carries the Debian version,
     * which only that build computes: the property {@code peekaboo.server.deb} names the
     * directory, and the package made last is this build's.
     */
    public static Path builtDebianPackage() throws IOException {
        Path directory = Path.of(System.getProperty("peekaboo.server.deb")).toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("peekaboo_.+_amd64\\.deb"))
                    .max(Comparator.comparing(RootScript::modified))
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
