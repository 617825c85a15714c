package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.cortex.testing.CortexEmulator;
import picocli.CommandLine;

/** {@code peekaboo cortex check} against the emulator. */
class CortexCommandTest {
    @TempDir
    Path dir;

    private CortexEmulator cortex;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        cortex = CortexEmulator.start(Clock.systemUTC(), "/cortex");
    }

    @AfterEach
    void stop() {
        cortex.close();
    }

    private int check(String analyzersConf) throws IOException {
        Path file = dir.resolve("analyzers.conf");
        // Like every file holding a secret, readable by the owner and group only.
        Files.setPosixFilePermissions(Files.writeString(file, analyzersConf),
                PosixFilePermissions.fromString("rw-r-----"));
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("cortex", "check", file.toString());
    }

    private String conf(String key) {
        return "[cortex]\nurl: " + cortex.url() + "/\napi_token: " + key + "\nrequest_timeout: 2s\nretries: 0\n";
    }

    @Test
    void reportsVersionUserRolesAndAnalyzers() throws IOException {
        int exit = check(conf(CortexEmulator.ANALYZE_KEY));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("OK: Cortex 3.1.8-1 at " + cortex.url() + ", user peekaboo-analyze of"
                + " peekaboo with roles [analyze, read], analyzers [FileInfo_8_0, VirusTotal_GetReport_3_1,");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void rejectedKeyAndMissingRole() throws IOException {
        assertThat(check(conf("wrong-key"))).isEqualTo(CortexCommand.Check.EXIT_CREDENTIALS);
        assertThat(err.toString()).contains("credentials: Cortex current user: Cortex rejected the API key (401");

        assertThat(check(conf(CortexEmulator.READ_ONLY_KEY))).isEqualTo(CortexCommand.Check.EXIT_CREDENTIALS);
        assertThat(err.toString()).contains("has the roles [read]; it needs read and analyze");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unknownAnalyzerNames() throws IOException {
        int exit = check(conf(CortexEmulator.ANALYZE_KEY) + "cape_analyzer: CAPE_File_Analysis_0_2\n");

        assertThat(exit).isEqualTo(CortexCommand.Check.EXIT_ANALYZERS);
        assertThat(err.toString().strip()).isEqualTo("analyzer missing: CAPEv2FileReport: Cortex has no analyzer"
                + " named CAPE_File_Analysis_0_2 enabled for the API key's organisation; enable it in Cortex or"
                + " correct the analyzer name in analyzers.conf");
    }

    @Test
    void unreachableCortex() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int exit = check("[cortex]\nurl: http://127.0.0.1:" + port + "\napi_token: x\nretries: 0\n");

        assertThat(exit).isEqualTo(CortexCommand.Check.EXIT_UNREACHABLE);
        assertThat(err.toString()).startsWith("unreachable: Cortex status: cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void invalidFileAndDirectCuckooAccess() throws IOException {
        assertThat(check("[cortex]\nurl: ftp://cortex\napi_token: x\n")).isEqualTo(CortexCommand.Check.EXIT_INVALID);
        assertThat(err.toString()).contains("analyzers.conf:2", "url", "not an http or https URL");

        assertThat(check("[cuckoo]\nurl: http://127.0.0.1:8090\n")).isEqualTo(CortexCommand.Check.EXIT_INVALID);
        assertThat(err.toString()).contains("analyzers.conf:2", "[cuckoo]", "does not submit to Cuckoo directly");
    }
}
