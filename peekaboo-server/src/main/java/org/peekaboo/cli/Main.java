package org.peekaboo.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code peekaboo} command. */
@Command(name = "peekaboo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Judges e-mail attachments for mail gateways (amavis) by what they do.",
        subcommands = {ServeCommand.class, ScanCommand.class, PingCommand.class, StatusCommand.class,
                ConfigCommand.class, CortexCommand.class, BenchCommand.class, StartupCacheCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for usage errors and failures, shared with {@code scan}'s "error". */
    static final int EXIT_ERROR = 3;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        // jOOQ's banner and tips would be the first lines of every daemon log.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call this and capture its output. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The configured command line, reading variables (the Cortex API key) from {@code environment}
     * instead of the process's, so that tests can give them.
     */
    static CommandLine commandLine(Map<String, String> environment) {
        Map<String, String> env = Map.copyOf(environment);
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ConfigCommand.Check.class ? type.cast(new ConfigCommand.Check(env))
                        : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Main(), factory);
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setParameterExceptionHandler(new UsageErrorReporter());
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
