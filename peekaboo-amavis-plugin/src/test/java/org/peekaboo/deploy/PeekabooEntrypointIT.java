package org.peekaboo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peekaboo.deploy.testing.Repository;

/**
 * The Peekaboo image's entrypoint, run outside a container on the image's file layout: the
 * settings compose.yaml passes become a drop-in and an analyzers.conf that the built
 * daemon accepts together with the demo's ruleset drop-in, and a bad setting stops the
 * container with Peekaboo's diagnosis naming the drop-in.
 */
class PeekabooEntrypointIT {
    private Path etc;

    @BeforeEach
    void imageLayout() throws IOException {
        Path root = Repository.root();
        etc = Files.createTempDirectory("pkb-entrypoint-");
        Files.createDirectories(etc.resolve("peekaboo.conf.d"));
        Files.createDirectories(etc.resolve("ruleset.conf.d"));
        Files.createDirectories(etc.resolve("generated"));
        // The image's files at their places below etc instead of /etc/peekaboo.
        Files.writeString(etc.resolve("peekaboo.conf"), Files.readString(root.resolve("config/peekaboo.conf"))
                .replace("config: /etc/peekaboo/ruleset.conf", "config: ruleset.conf"));
        Files.copy(root.resolve("config/ruleset.conf"), etc.resolve("ruleset.conf"));
        Files.copy(root.resolve("docker/peekaboo/ruleset.conf.d/10-compose.conf"),
                etc.resolve("ruleset.conf.d/10-compose.conf"));
        Path token = Files.writeString(etc.resolve("generated/api-token"), "0123456789abcdef0123456789abcdef\n");
        // cortex-setup writes it 0600; Peekaboo refuses a key file others may read
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void remove() throws IOException {
        try (Stream<Path> files = Files.walk(etc)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void theComposeSettingsBecomeAConfigurationTheDaemonAccepts() throws Exception {
        Result result = entrypoint(Map.of(
                "PEEKABOO_LISTEN", "0.0.0.0:8100",
                "PEEKABOO_ALLOWED_CLIENTS", "172.30.80.0/24 2001:db8::/32",
                "PEEKABOO_ALLOWED_DIRS", "/var/lib/amavis/tmp:/srv/more",
                "PEEKABOO_DB_URL", "jdbc:mariadb://mariadb:3306/peekaboo",
                "PEEKABOO_DB_USER", "peekaboo",
                "PEEKABOO_CORTEX_URL", "http://cortex:9001",
                "PEEKABOO_CORTEX_API_TOKEN_FILE", etc.resolve("generated/api-token").toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("rules [known, contains_peekabooyar, office_macro_dropper,"
                + " script_attachment, windows_shortcut, disk_image, rar_archive, html_smuggling, pdf_dropper,"
                + " rtf_dropper, file_larger_than, office_macro,");
        assertThat(Files.readAllLines(etc.resolve("peekaboo.conf.d/05-environment.conf"))).contains(
                "listen: 0.0.0.0:8100", "listen_beyond_loopback: yes", "allowed_client.0: 172.30.80.0/24",
                "allowed_client.1: 2001:db8::/32", "allowed_dir.-: -", "allowed_dir.0: /var/lib/amavis/tmp",
                "allowed_dir.1: /srv/more", "url: jdbc:mariadb://mariadb:3306/peekaboo", "user: peekaboo",
                "config: " + etc.resolve("generated/analyzers.conf"));
        assertThat(Files.readAllLines(etc.resolve("generated/analyzers.conf")))
                .contains("url: http://cortex:9001", "api_token_file: " + etc.resolve("generated/api-token"));
    }

    @Test
    void aBadSettingStopsTheContainerNamingTheDropIn() throws Exception {
        Result result = entrypoint(Map.of("PEEKABOO_WORKER_COUNT", "0"));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("05-environment.conf").contains("worker_count");
    }

    record Result(int exitCode, String output) {
    }

    /** Runs the entrypoint with the given environment and "config check" as the command. */
    private Result entrypoint(Map<String, String> environment) throws IOException, InterruptedException {
        Path root = Repository.root();
        ProcessBuilder builder = new ProcessBuilder(List.of("sh", root.resolve("docker/peekaboo/entrypoint.sh").toString(),
                "config", "check", etc.resolve("peekaboo.conf").toString())).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("PEEKABOO_ETC", etc.toString());
        builder.environment().put("PEEKABOO_COMMAND", root.resolve("peekaboo").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the entrypoint did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
