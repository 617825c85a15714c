package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code peekaboo config check} in-process: it wires the ruleset's reports as the daemon does,
 * so the Office rules and {@code olereport} expressions are accepted, with Cortex and without.
 */
class ConfigCommandTest {
    private static final String OFFICE_RULES = """
            [rules]
            rule.1: office_macro_with_suspicious_keyword
            rule.2: office_macro
            rule.3: expressions
            [office_macro_with_suspicious_keyword]
            keyword.1: AutoOpen
            [expressions]
            expression.1: olereport.is_suspicious -> bad
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void acceptsTheOfficeRulesAndOlereportExpressions() throws IOException {
        Path rules = Files.writeString(dir.resolve("ruleset.conf"), OFFICE_RULES);

        int exit = check(rules);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("rules [office_macro_with_suspicious_keyword, office_macro, expressions]");
    }

    @Test
    void acceptsOlereportBesideCortexreport() throws IOException {
        Files.writeString(dir.resolve("ruleset.conf"), OFFICE_RULES
                + "expression.2: cortexreport.FileInfoReport.mimetype == 'application/pdf' -> ignore\n");
        // Like every file holding a secret, readable by the owner and group only.
        Files.setPosixFilePermissions(Files.writeString(dir.resolve("analyzers.conf"),
                "[cortex]\nurl: http://127.0.0.1:9\napi_token: t0k3n\n"), PosixFilePermissions.fromString("rw-r-----"));
        Path config = Files.writeString(dir.resolve("peekaboo.conf"),
                "[ruleset]\nconfig: ruleset.conf\n[analyzers]\nconfig: analyzers.conf\n");

        int exit = check(config);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("OK: ").contains("office_macro, expressions]");
    }

    @Test
    void saysWhatClientsCanReachAndWarnsAboutTcpBeyondLoopback() throws IOException {
        Path config = Files.writeString(dir.resolve("peekaboo.conf"), """
                [server]
                socket_file: /run/peekaboo/peekaboo.sock
                socket_group: amavis
                listen: 0.0.0.0:8100
                listen_beyond_loopback: yes
                allowed_client.0: 192.0.2.25
                allowed_client.lan: 2001:db8::/32
                """);

        int exit = check(config);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Clients reach Peekaboo over: Unix socket /run/peekaboo/peekaboo.sock"
                + " (mode 0660, group amavis); TCP 0.0.0.0:8100 (OTHER HOSTS, clients in 192.0.2.25,"
                + " 2001:db8:0:0:0:0:0:0/32)");
        assertThat(err.toString()).contains("warning: " + config + ":4: [server] listen: accepts connections from"
                + " other hosts (192.0.2.25, 2001:db8:0:0:0:0:0:0/32); the line protocol has no authentication");
    }

    @Test
    void refusesTcpBeyondLoopbackWithoutConsentAndSaysWhatToDo() throws IOException {
        Path config = Files.writeString(dir.resolve("peekaboo.conf"), "[server]\nlisten: 0.0.0.0:8100\n");

        int exit = check(config);

        assertThat(exit).isEqualTo(ConfigCommand.Check.EXIT_INVALID);
        assertThat(err.toString()).startsWith("invalid: " + config + ":2: [server] listen: listen 0.0.0.0:8100 would"
                + " accept connections from other hosts").contains("listen_beyond_loopback: yes")
                .contains("allowed_client.0: 192.0.2.25");
    }

    @Test
    void saysThatOnlyTheSocketIsReachableWithoutTcp() throws IOException {
        Path config = Files.writeString(dir.resolve("peekaboo.conf"), "[server]\nsocket_file: /run/p/p.sock\n");

        assertThat(check(config)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Clients reach Peekaboo over: Unix socket /run/p/p.sock (mode 0660); no TCP");
    }

    @Test
    void namesTheClamdListenersWhenTheFrontEndIsOn() throws IOException {
        Path off = Files.writeString(dir.resolve("off.conf"), "[server]\nsocket_file: /run/p/p.sock\n");
        Path on = Files.writeString(dir.resolve("on.conf"), "[server]\nsocket_file: /run/p/p.sock\n"
                + "[clamd]\nsocket_file: /run/p/clamd.sock\nlisten: 127.0.0.1:3310\nprofile: exim\n");

        assertThat(check(off)).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("clamd");
        assertThat(check(on)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("clamd clients reach Peekaboo over: Unix socket /run/p/clamd.sock"
                + " (mode 0660), profile exim; TCP 127.0.0.1:3310 (loopback only), profile exim");
    }

    private int check(Path file) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("config", "check", file.toString());
    }
}
