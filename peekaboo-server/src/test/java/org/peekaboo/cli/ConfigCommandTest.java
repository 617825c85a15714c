package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Files.writeString(dir.resolve("analyzers.conf"), "[cortex]\nurl: http://127.0.0.1:9\napi_token: t0k3n\n");
        Path config = Files.writeString(dir.resolve("peekaboo.conf"),
                "[ruleset]\nconfig: ruleset.conf\n[analyzers]\nconfig: analyzers.conf\n");

        int exit = check(config);

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("OK: ").contains("office_macro, expressions]");
    }

    private int check(Path file) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("config", "check", file.toString());
    }
}
