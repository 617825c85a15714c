package org.peekaboo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.deploy.testing.Repository;
import org.peekaboo.testing.ExternalTools;

/**
 * The rspamd image's configuration as docker/rspamd/Dockerfile assembles it (the shipped
 * config/rspamd/local.d files, docker/rspamd/override.d, the entrypoint's scanner address),
 * read by Debian's own rspamadm against Debian's stock rspamd.conf: what the container would
 * run, without a Docker engine. Skipped where rspamd is missing, except in scripts/test.
 */
class RspamdImageConfigTest {
    private static final Path STOCK = Path.of("/etc/rspamd/rspamd.conf");

    @TempDir
    Path dir;

    @Test
    void rspamdReadsTheImagesConfigurationWithTheScannerAndTheMilter() throws Exception {
        ExternalTools.assumeOnPath("rspamadm", "rspamd");
        Path etc = imageEtc();
        // localhost: a name that resolves here, as the peekaboo service's does in the demo network.
        Result entrypoint = entrypoint(etc, Map.of("PEEKABOO_CLAMD", "localhost:3310"));
        assertThat(entrypoint.exitCode()).as(entrypoint.output()).isZero();
        assertThat(entrypoint.output()).as("the daemon's arguments").isEqualTo("-f -u _rspamd -g _rspamd -c " + etc + "/rspamd.conf");

        Result test = rspamadm(etc, "configtest", "-c", STOCK.toString());
        // rspamd drops a scanner whose servers it cannot resolve and still says "syntax OK".
        // (The stock fuzzy_check servers do not resolve without internet; they do not matter.)
        assertThat(test.output()).contains("syntax OK").doesNotContain("cannot parse servers", "cannot add rule");
        assertThat(test.exitCode()).isZero();

        Result antivirus = rspamadm(etc, "configdump", "-c", STOCK.toString(), "antivirus");
        assertThat(antivirus.output()).contains("servers = \"localhost:3310\";", "symbol = \"PEEKABOO\";",
                "action = \"reject\";");
        Result actions = rspamadm(etc, "configdump", "-c", STOCK.toString(), "force_actions");
        assertThat(actions.output()).contains("PEEKABOO_UNDECIDED", "expression = \"PEEKABOO_FAIL\";");
        Result workers = rspamadm(etc, "configdump", "-c", STOCK.toString(), "worker");
        assertThat(workers.output()).contains("bind_socket = \"*:11332\";", "milter = true;", "self_scan = true;");
    }

    @Test
    void theEntrypointRefusesToStartWithoutAScannerItCanReach() throws Exception {
        Path etc = imageEtc();
        assertThat(entrypoint(etc, Map.of()).output()).contains("PEEKABOO_CLAMD must name");
        Result unresolved = entrypoint(etc, Map.of("PEEKABOO_CLAMD", "peekaboo.invalid:3310", "RSPAMD_WAIT", "1"));
        assertThat(unresolved.exitCode()).as(unresolved.output()).isEqualTo(4);
        assertThat(unresolved.output()).contains("peekaboo.invalid does not resolve");

        Files.writeString(etc.resolve("local.d/antivirus.conf"), "peekaboo { type = \"clamav\"; }\n");
        Result noServers = entrypoint(etc, Map.of("PEEKABOO_CLAMD", "localhost:3310"));
        assertThat(noServers.exitCode()).as(noServers.output()).isEqualTo(3);
    }

    /** The image's /etc/rspamd: Debian's stock files, then what the Dockerfile copies over them. */
    private Path imageEtc() throws IOException {
        Path root = Repository.root();
        Path etc = Files.createDirectories(dir.resolve("etc"));
        String dockerfile = Files.readString(root.resolve("docker/rspamd/Dockerfile"));
        assertThat(dockerfile).contains("COPY config/rspamd/local.d/ /etc/rspamd/local.d/",
                "COPY docker/rspamd/override.d/ /etc/rspamd/override.d/");
        Files.writeString(etc.resolve("rspamd.conf"), "");
        copy(root.resolve("config/rspamd/local.d"), Files.createDirectories(etc.resolve("local.d")));
        copy(root.resolve("docker/rspamd/override.d"), Files.createDirectories(etc.resolve("override.d")));
        Files.createDirectories(etc.resolve("db"));
        return etc;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /** docker/rspamd/entrypoint.sh with echo for rspamd: its output is the daemon's arguments. */
    private Result entrypoint(Path etc, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", Repository.root().resolve("docker/rspamd/entrypoint.sh").toString());
        builder.environment().remove("PEEKABOO_CLAMD");
        builder.environment().putAll(environment);
        builder.environment().put("RSPAMD_ETC", etc.toString());
        builder.environment().put("RSPAMD_COMMAND", "echo");
        return run(builder);
    }

    /** rspamadm with the image's local.d and override.d in place of the host's. */
    private Result rspamadm(Path etc, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rspamadm", "--var=LOCAL_CONFDIR=" + etc,
                "--var=DBDIR=" + etc.resolve("db"), "--var=RUNDIR=" + etc.resolve("db"), "--var=LOGDIR=" + etc.resolve("db")));
        command.addAll(List.of(arguments));
        return run(new ProcessBuilder(command));
    }

    private static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish: " + builder.command());
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
