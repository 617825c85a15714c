package org.peekaboo.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.ConfigWarning;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.CortexSettingsLoader;
import org.peekaboo.config.IniDocument;
import org.peekaboo.config.LoadedConfig;
import org.peekaboo.config.PeekabooAvDefaultFiles;
import org.peekaboo.config.PeekabooConfigLoader;
import org.peekaboo.cortex.CortexClient;
import org.peekaboo.cortex.CortexReportSource;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.UnavailableReport;
import org.peekaboo.sample.TikaFileTypeDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Works with configuration files.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Validates a peekaboo.conf (and the ruleset and analyzers.conf it names) or a ruleset.conf, "
                    + "with their .d drop-ins.",
                    "Prints what clients can reach (socket, TCP and from where).",
                    "Exit code 0 when it can be used (warnings are printed), 1 when not."})
    static final class Check implements Callable<Integer> {
        static final int EXIT_INVALID = 1;

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "peekaboo.conf or ruleset.conf")
        private Path file;

        /** Where the Cortex API key may come from, as for the daemon. */
        private final Map<String, String> environment;

        Check(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<ConfigWarning> warnings = new ArrayList<>();
            List<String> unreadDefaults = List.of();
            List<String> checked = new ArrayList<>();
            Optional<String> exposure = Optional.empty();
            Optional<String> clamdExposure = Optional.empty();
            Optional<String> httpExposure = Optional.empty();
            try {
                Path path = file.toAbsolutePath();
                IniDocument document = IniDocument.load(path);
                Optional<CortexSettingsLoader.Loaded> analyzersConf = Optional.empty();
                Optional<Path> rulesetFile;
                if (document.section("rules").isPresent()) {
                    rulesetFile = Optional.of(path);
                } else {
                    LoadedConfig loaded = PeekabooConfigLoader.load(path);
                    warnings.addAll(loaded.warnings());
                    unreadDefaults = PeekabooAvDefaultFiles.unread(loaded.config().ruleset(), Files::exists);
                    checked.add(path.toString());
                    exposure = Optional.of(loaded.config().server().exposure());
                    clamdExposure = loaded.config().clamd().exposure();
                    httpExposure = loaded.config().http().exposure();
                    rulesetFile = loaded.config().ruleset().config();
                    Optional<Path> analyzers = loaded.config().ruleset().analyzers();
                    if (analyzers.isPresent()) {
                        CortexSettingsLoader.Loaded cortex = CortexSettingsLoader.load(analyzers.get(), environment);
                        warnings.addAll(cortex.warnings());
                        checked.add("analyzers " + analyzers.get()
                                + (cortex.configured().isPresent() ? "" : " (Cortex not configured)"));
                        analyzersConf = Optional.of(cortex);
                    }
                }
                LoadedRuleset ruleset = loadRuleset(rulesetFile, analyzersConf);
                warnings.addAll(ruleset.warnings());
                checked.add(rulesetFile.map(rules -> "ruleset " + rules).orElse("built-in ruleset"));
                checked.add("rules " + ruleset.ruleset().rules().stream().map(r -> r.name()).toList());
            } catch (ConfigException e) {
                err.println("invalid: " + e.getMessage());
                return EXIT_INVALID;
            }
            warnings.forEach(warning -> err.println("warning: " + warning));
            unreadDefaults.forEach(warning -> err.println("warning: " + warning));
            out.println("OK: " + String.join("; ", checked));
            exposure.ifPresent(reach -> out.println("Clients reach Peekaboo over: " + reach));
            clamdExposure.ifPresent(reach -> out.println("clamd clients reach Peekaboo over: " + reach));
            httpExposure.ifPresent(reach -> out.println("REST clients reach Peekaboo over: " + reach));
            return 0;
        }
    
        /**
         * Builds the ruleset as the daemon would, with {@code olereport}, and with
         * {@code cortexreport} when Cortex is configured so that expressions using it are
         * checked rather than refused (or, with an analyzers.conf that configures no Cortex,
         * refused with what to set). The client
         * is only constructed: nothing is sent to Cortex ({@code peekaboo cortex check} does that).
         */
        private static LoadedRuleset loadRuleset(Optional<Path> rulesetFile,
                                                 Optional<CortexSettingsLoader.Loaded> analyzers) {
            Optional<CortexSettings> cortex = analyzers.flatMap(CortexSettingsLoader.Loaded::configured);
            try (CortexClient client = cortex.map(settings -> new CortexClient(settings, Clock.systemUTC())).orElse(null)) {
                List<ReportSource<?>> reports = new ArrayList<>(List.of(OleReportSource.withDefaultLimits()));
                if (client != null) {
                    reports.add(new CortexReportSource(client, cortex.get()));
                } else {
                    analyzers.ifPresent(conf -> reports.add(new UnavailableReport(CortexReportSource.NAME,
                            conf.notConfigured())));
                }
                RulesetLoader loader = new RulesetLoader((identity, job) -> Optional.empty(), new TikaFileTypeDetector(),
                        Clock.systemUTC(), reports);
                return rulesetFile.map(rules -> loader.load(IniDocument.load(rules))).orElseGet(loader::builtIn);
            }
        }
    }
}
