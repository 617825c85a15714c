package org.peekaboo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peekaboo.config.EmbeddedEnvironment;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.LoadedConfig;
import org.peekaboo.config.PeekabooAvDefaultFiles;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.PeekabooConfigLoader;
import org.peekaboo.daemon.Daemon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the daemon in the foreground until SIGTERM or Ctrl-C.",
                "Without --config it runs on embedded defaults: H2 store in the user's data directory, "
                        + "Unix socket in the user's runtime directory, built-in ruleset, and clients may name "
                        + "the invoking user's files (home, temp and current directory)."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "peekaboo.conf to use (drop-ins from FILE.d/).")
    private Path configFile;

    @Option(names = "--socket", paramLabel = "PATH", description = "Unix socket to listen on.")
    private Path socket;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Also listen on TCP (e.g. 127.0.0.1:8110); beyond loopback only with "
            + "listen_beyond_loopback and allowed_client in the configuration file.")
    private String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory for the embedded database.")
    private Path dataDir;

    @Option(names = "--allow-dir", paramLabel = "DIR",
            description = "Directory whose files clients may name (repeatable; replaces the configured list).")
    private List<Path> allowedDirs;

    // Hidden: for measuring what the metrics cost (scripts/metrics-bench.sh), not for sites.
    @Option(names = "--no-metrics", hidden = true, description = "Count nothing for /metrics.")
    private boolean noMetrics;

    @Override
    public Integer call() throws InterruptedException {
        PeekabooConfig config = effectiveConfig();
        Logging.apply(config.logging());
        Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config), !noMetrics, System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "peekaboo-shutdown"));
        daemon.awaitShutdown();
        return 0;
    }

    private PeekabooConfig effectiveConfig() {
        PeekabooConfig config;
        if (configFile != null) {
            LoadedConfig loaded = PeekabooConfigLoader.load(configFile.toAbsolutePath());
            Logging.apply(loaded.config().logging());
            loaded.warnings().forEach(warning -> LOG.warn("{}", warning));
            config = loaded.config();
            PeekabooAvDefaultFiles.unread(config.ruleset(), Files::exists).forEach(warning -> LOG.warn("{}", warning));
        } else {
            config = PeekabooConfig.embedded(EmbeddedEnvironment.current());
            LOG.info("No configuration file given: running on embedded defaults");
        }
        if (socket != null) {
            config = config.withSocketFile(socket.toAbsolutePath());
        }
        if (listen != null) {
            config = config.withListen(HostPort.parse(listen));
        }
        if (dataDir != null) {
            config = config.withDataDir(dataDir.toAbsolutePath());
        }
        if (allowedDirs != null && !allowedDirs.isEmpty()) {
            config = config.withAllowedDirs(allowedDirs.stream().map(Path::toAbsolutePath).toList());
        }
        return config;
    }
}
