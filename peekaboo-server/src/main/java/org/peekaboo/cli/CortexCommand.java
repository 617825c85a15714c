package org.peekaboo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.CortexSettingsLoader;
import org.peekaboo.cortex.CortexAnalyzer;
import org.peekaboo.cortex.CortexClient;
import org.peekaboo.daemon.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cortex", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Works with the Cortex instance of analyzers.conf.", subcommands = CortexCommand.Check.class)
final class CortexCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Checks that Cortex answers, accepts the API key, that its user may run analyzers,"
                    + " and that every configured analyzer name exists.",
                    "Exit codes: 0 all fine, 1 invalid analyzers.conf, 2 Cortex unreachable or failing,"
                    + " 4 key rejected or roles missing, 5 an analyzer name not found."})
    static final class Check implements Callable<Integer> {
        static final int EXIT_INVALID = 1;
        static final int EXIT_UNREACHABLE = 2;
        static final int EXIT_CREDENTIALS = 4;
        static final int EXIT_ANALYZERS = 5;

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "analyzers.conf")
        private Path file;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CortexSettings settings;
            try {
                CortexSettingsLoader.Loaded loaded = CortexSettingsLoader.load(file.toAbsolutePath(), System.getenv());
                loaded.warnings().forEach(warning -> err.println("warning: " + warning));
                settings = loaded.settings();
            } catch (ConfigException e) {
                err.println("invalid: " + e.getMessage());
                return EXIT_INVALID;
            }
            long wait = settings.requestTimeout().multipliedBy(settings.retries() + 2L).toMillis();
            try (CortexClient client = new CortexClient(settings, Clock.systemUTC())) {
                String version;
                try {
                    version = await(client.version(), wait);
                } catch (ExecutionException | TimeoutException e) {
                    err.println("unreachable: " + message(e));
                    return EXIT_UNREACHABLE;
                }
                JsonNode user;
                try {
                    user = await(client.currentUser(), wait);
                } catch (ExecutionException | TimeoutException e) {
                    err.println("credentials: " + message(e));
                    return EXIT_CREDENTIALS;
                }
                Set<String> roles = new LinkedHashSet<>();
                user.path("roles").forEach(role -> roles.add(role.asText()));
                if (!roles.containsAll(Set.of("read", "analyze"))) {
                    err.println("credentials: the key's user " + user.path("id").asText() + " has the roles " + roles
                            + "; it needs read and analyze");
                    return EXIT_CREDENTIALS;
                }
                try {
                    await(client.checkBatchStatus(), wait);
                } catch (ExecutionException | TimeoutException e) {
                    err.println("unsupported: " + message(e) + "; Peekaboo polls with POST /api/job/status"
                            + " (Cortex 3.1.5 or later)");
                    return EXIT_UNREACHABLE;
                }
                List<String> missing = new ArrayList<>();
                List<String> found = new ArrayList<>();
                for (CortexAnalyzer analyzer : CortexAnalyzer.values()) {
                    String name = analyzer.analyzerName(settings.analyzers());
                    try {
                        await(client.analyzerId(name), wait);
                        found.add(name);
                    } catch (ExecutionException | TimeoutException e) {
                        missing.add(analyzer.reportName() + ": " + message(e));
                    }
                }
                if (!missing.isEmpty()) {
                    missing.forEach(line -> err.println("analyzer missing: " + line));
                    return EXIT_ANALYZERS;
                }
                out.println("OK: Cortex " + version + " at " + settings.url() + ", user "
                        + user.path("id").asText() + " of " + user.path("organization").asText() + " with roles "
                        + roles + ", analyzers " + found);
                return 0;
            }
        }

        private static <T> T await(CompletableFuture<T> future, long millis)
                throws InterruptedException, ExecutionException, TimeoutException {
            return future.get(millis, TimeUnit.MILLISECONDS);
        }

        private static String message(Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof TimeoutException ? "no answer in time" : cause.getMessage();
        }
    }
}
