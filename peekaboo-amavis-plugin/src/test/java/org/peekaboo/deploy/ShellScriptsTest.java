package org.peekaboo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.peekaboo.deploy.testing.Repository;
import org.peekaboo.testing.ExternalTools;

/**
 * The images' scripts run under Debian's and Ubuntu's /bin/sh (dash), so they are parsed by
 * sh and linted by shellcheck as POSIX sh: a bashism would only show inside a container.
 */
class ShellScriptsTest {
    @Test
    void theImagesScriptsAreValidPosixSh() throws IOException, InterruptedException {
        List<Path> scripts = scripts();
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(7)
                .contains(Repository.root().resolve("docker/rspamd/entrypoint.sh"));
        for (Path script : scripts) {
            assertThat(Files.readAllLines(script).getFirst()).as("%s", script).isEqualTo("#!/bin/sh");
            assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
            assertThat(run("sh", "-n", script.toString())).as("sh -n %s", script).isEmpty();
        }
    }

    /** Skipped where shellcheck is missing, except in scripts/test (see {@link ExternalTools}). */
    @Test
    void theImagesScriptsPassShellcheck() throws IOException, InterruptedException {
        ExternalTools.assumeOnPath("shellcheck", "shellcheck");
        List<Path> scripts = scripts();
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(5);
        for (Path script : scripts) {
            assertThat(run("shellcheck", "--shell=sh", "--severity=style", script.toString()))
                    .as("shellcheck %s", script).isEmpty();
        }
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.walk(Repository.root().resolve("docker"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".sh")).sorted().toList();
        }
    }

    /** The command's output, empty when it succeeded silently; its output and exit code otherwise. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is missing (scripts/test installs it as root: apt-get install "
                    + command[0] + ")", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "did not finish: " + String.join(" ", command);
        }
        List<String> result = new ArrayList<>();
        if (!output.isBlank()) {
            result.add(output.strip());
        }
        if (process.exitValue() != 0) {
            result.add("exit code " + process.exitValue());
        }
        return String.join("\n", result);
    }
}
