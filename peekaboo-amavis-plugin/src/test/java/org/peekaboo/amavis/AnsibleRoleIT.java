package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Ansible role (ansible/) deployed for real: scripts/ansible-test lints it, runs site.yml
 * against a Debian root made with debootstrap (chroot connection), checks files, owners, modes,
 * the user's groups, the systemd unit, amavis' and Postfix' wiring and {@code peekaboo config
 * check} inside the root, and runs it again expecting no change. The script is the test; this
 * class only makes {@code mvn verify} (the README's single test command) run it, with the jar
 * this build made. Its output is kept in target/ansible-test.log.
 */
class AnsibleRoleIT {
    /** Guards against a hung apt or chroot only; a normal run takes a few minutes. */
    private static final long HANG_GUARD_MINUTES = 30;

    @Test
    void roleDeploysAGatewayIntoADebianRootAndASecondRunChangesNothing() throws IOException, InterruptedException {
        Path project = Path.of(System.getProperty("peekaboo.projectDir")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("peekaboo.server.jar")).toAbsolutePath().normalize();
        Path log = project.resolve("peekaboo-amavis-plugin/target/ansible-test.log");
        Files.createDirectories(log.getParent());

        ProcessBuilder builder = new ProcessBuilder(List.of("bash", project.resolve("scripts/ansible-test").toString()))
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PEEKABOO_JAR", jar.toString());
        Process process = builder.start();
        boolean finished = process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as("scripts/ansible-test still ran after %d minutes; its output:%n%s",
                HANG_GUARD_MINUTES, output).isTrue();
        assertThat(process.exitValue()).as("exit code of scripts/ansible-test; its output:%n%s", output).isZero();
        assertThat(output).containsPattern("(?m)^ansible-test: [1-9][0-9]* passed, 0 failed$");
    }
}
