package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.CortexSettingsLoader;
import picocli.CommandLine;

/**
 * {@code peekaboo config check} on the three sample files PeekabooAV 2.1 ships, copied as a
 * site copies them (resources {@code peekabooav-2.1/}: PeekabooAV's keys, values, layout
 * and commented-out lines). Their {@code [cortex]} section sets nothing; their ruleset runs
 * the Cuckoo rules and a {@code cuckooreport} expression, which Peekaboo serves through
 * Cortex, so the files check OK once Cortex has its key (from the environment, the files
 * unchanged), and without one the error names every rule that needs it.
 */
class PeekabooAvSampleFilesTest {
    private static final String SAMPLE_RULES = "rules [known, file_larger_than, file_type_on_whitelist,"
            + " file_type_on_greylist, expressions, cuckoo_evil_sig, cuckoo_score, cuckoo_analysis_failed, final_rule]";
    private static final Pattern EXPRESSION_4 = Pattern.compile("(?ms)^expression\\.4 .*?-> bad$");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private String peekabooConf;
    private String rulesetConf;
    private Path analyzersConf;

    @BeforeEach
    void copySamples() throws IOException {
        peekabooConf = sample("peekaboo.conf.sample");
        rulesetConf = sample("ruleset.conf.sample");
        analyzersConf = Files.writeString(dir.resolve("analyzers.conf"), sample("analyzers.conf.sample"));
    }

    @Test
    void theMainFileAloneChecksOkWithTheBuiltInRuleset() throws IOException {
        Path config = Files.writeString(dir.resolve("peekaboo.conf"), peekabooConf);

        int exit = check(config, Map.of());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("OK: " + config + "; built-in ruleset; rules [");
    }

    @Test
    void theSampleRulesetAndAnalyzersConfCheckOkWithTheCortexKeyFromTheEnvironment() throws IOException {
        int exit = check(siteConfig(rulesetConf), Map.of(CortexSettingsLoader.TOKEN_VARIABLE, "0123456789abcdef"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("; analyzers " + analyzersConf + "; ruleset ", SAMPLE_RULES);
        // The [cuckoo] section, every line commented out, is only remarked on.
        assertThat(err.toString().lines()).singleElement().asString().startsWith("warning: " + analyzersConf + ":2:")
                .contains("[cuckoo]", "empty section ignored");
    }

    @Test
    void withoutACortexKeyTheErrorNamesEveryRuleThatNeedsCortexAndWhatToSet() throws IOException {
        Path config = siteConfig(rulesetConf);
        Path ruleset = dir.resolve("ruleset.conf");

        int exit = check(config, Map.of());

        assertThat(exit).isEqualTo(ConfigCommand.Check.EXIT_INVALID);
        assertThat(err.toString()).isEqualTo("invalid: " + ruleset + ":" + line(rulesetConf, "expression.4")
                + ": [expressions] expression.4: column 188: cuckooreport.score needs Cortex, which is not available:"
                + " [cortex] in " + analyzersConf + " sets nothing; set api_token, api_token_file or the environment"
                + " variable " + CortexSettingsLoader.TOKEN_VARIABLE + " to the key of a Cortex user with the roles"
                + " read and analyze. Also needing it: rule cuckoo_evil_sig (rule.8 at " + ruleset + ":"
                + line(rulesetConf, "rule.8") + "), rule cuckoo_score (rule.9 at " + ruleset + ":"
                + line(rulesetConf, "rule.9") + "), rule cuckoo_analysis_failed (rule.11 at " + ruleset + ":"
                + line(rulesetConf, "rule.11") + ")\n");
    }

    @Test
    void withoutASandboxTheSampleRulesetChecksOkBesideTheEmptyCortexSection() throws IOException {
        int exit = check(siteConfig(withoutSandbox()), Map.of());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("; analyzers " + analyzersConf + " (Cortex not configured); ruleset ",
                "rules [known, file_larger_than, file_type_on_whitelist, file_type_on_greylist, expressions,"
                        + " final_rule]");
    }

    @Test
    void theSamplesCortexExampleExpressionSwitchedOnNeedsTheKey() throws IOException {
        String withCortexExample = withoutSandbox().replace("#expression.6  :", "expression.6  :");

        int exit = check(siteConfig(withCortexExample), Map.of());

        assertThat(exit).isEqualTo(ConfigCommand.Check.EXIT_INVALID);
        assertThat(err.toString()).startsWith("invalid: " + dir.resolve("ruleset.conf") + ":"
                + line(withCortexExample, "expression.6") + ": [expressions] expression.6: column 1:"
                + " cortexreport.CuckooSandboxFileReport.malscore needs Cortex, which is not available: [cortex] in "
                + analyzersConf + " sets nothing");
    }

    /** The sample ruleset as a site without a sandbox has it: the Cuckoo rules and expression.4 commented out. */
    private String withoutSandbox() {
        Matcher expression4 = EXPRESSION_4.matcher(rulesetConf);
        assertThat(expression4.find()).isTrue();
        String text = rulesetConf.substring(0, expression4.start())
                + expression4.group().replaceAll("(?m)^", "#") + rulesetConf.substring(expression4.end());
        for (String rule : new String[] {"rule.8  : cuckoo_evil_sig", "rule.9  : cuckoo_score",
                "rule.11  : cuckoo_analysis_failed"}) {
            assertThat(text).contains("\n" + rule + "\n");
            text = text.replace("\n" + rule + "\n", "\n#" + rule + "\n");
        }
        return text;
    }

    /**
     * The sample peekaboo.conf naming where the site put the other two files: PeekabooAV's
     * defaults (/opt/peekaboo/etc) are where a PeekabooAV site has them, Peekaboo has no such
     * default and runs its built-in ruleset when none is named.
     */
    private Path siteConfig(String ruleset) throws IOException {
        Files.writeString(dir.resolve("ruleset.conf"), ruleset);
        String config = peekabooConf
                .replace("#config           :    /opt/peekaboo/etc/ruleset.conf", "config : ruleset.conf")
                .replace("#config: /opt/peekaboo/etc/analyzers.conf", "config : analyzers.conf");
        assertThat(config).contains("config : ruleset.conf", "config : analyzers.conf");
        return Files.writeString(dir.resolve("peekaboo.conf"), config);
    }

    private static int line(String text, String key) {
        return (int) text.substring(0, text.indexOf("\n" + key + " ")).lines().count() + 1;
    }

    private int check(Path file, Map<String, String> environment) {
        CommandLine commandLine = Main.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute("config", "check", file.toString());
    }

    private String sample(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("peekabooav-2.1/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
