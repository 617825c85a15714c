package org.peekaboo.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads peekaboo.conf (and its drop files) into a {@link PeekabooConfig}. A PeekabooAV
 * peekaboo.conf loads too: options that mean nothing to Peekaboo are accepted with a warning
 * each; anything unknown stops the start-up with the file and line to fix.
 */
public final class PeekabooConfigLoader {
    static final Set<String> SECTIONS = Set.of("global", "server", "db", "ruleset", "logging", "cluster", "analyzers");

    private static final String GLOBAL = "global";
    private static final String SERVER = "server";
    private static final String LATER = "used from a later version of Peekaboo";

    private PeekabooConfigLoader() {
    }

    /**
     * @throws ConfigException if a file is missing, unreadable or contains anything invalid or unknown
     */
    public static LoadedConfig load(Path mainFile) {
        return fromDocument(mainFile, IniDocument.load(mainFile));
    }

    static LoadedConfig fromDocument(Path mainFile, IniDocument doc) {
        doc.requireSectionsIn(SECTIONS);
        Path configDir = mainFile.toAbsolutePath().normalize().getParent();

        SectionReader global = new SectionReader(doc, GLOBAL);
        SectionReader server = new SectionReader(doc, SERVER);
        SectionReader db = new SectionReader(doc, "db");
        SectionReader ruleset = new SectionReader(doc, "ruleset");
        SectionReader logging = new SectionReader(doc, "logging");
        SectionReader cluster = new SectionReader(doc, "cluster");
        SectionReader analyzers = new SectionReader(doc, "analyzers");

        AnalysisSettings analysis = new AnalysisSettings(
                global.integer("worker_count", AnalysisSettings.DEFAULT_WORKER_COUNT,
                        AnalysisSettings.MIN_WORKER_COUNT, AnalysisSettings.MAX_WORKER_COUNT),
                global.integer("queue_size", AnalysisSettings.DEFAULT_QUEUE_SIZE,
                        AnalysisSettings.MIN_QUEUE_SIZE, AnalysisSettings.MAX_QUEUE_SIZE));
        ServerSettings serverSettings = readServer(global, server, configDir);
        StoreSettings store = new StoreSettings(
                absolutePath(global, "data_dir", StoreSettings.DEFAULT_DATA_DIR, configDir),
                jdbcUrl(db));
        RulesetSettings rulesetSettings = new RulesetSettings(
                ruleset.optionalPath("config").map(configDir::resolve).map(Path::normalize));
        LoggingSettings loggingSettings = logLevel(logging);

        ignorePeekabooAvOptions(global, logging, db, cluster, analyzers);

        List<SectionReader> readers = List.of(global, server, db, ruleset, logging, cluster, analyzers);
        List<ConfigWarning> warnings = new ArrayList<>();
        for (SectionReader reader : readers) {
            reader.finish();
            warnings.addAll(reader.warnings());
        }
        // In file order, so the operator can work through them top to bottom.
        warnings.sort(Comparator.comparing((ConfigWarning w) -> doc.files().indexOf(w.location().file()))
                .thenComparing(w -> w.location().line()));
        PeekabooConfig config = new PeekabooConfig(mainFile, analysis, serverSettings, store, rulesetSettings,
                loggingSettings);
        return new LoadedConfig(config, warnings);
    }

    private static ServerSettings readServer(SectionReader global, SectionReader server, Path configDir) {
        // PeekabooAV up to 2.0 kept the socket options in [global]; [server] wins if both are given.
        Path socketFile = absolutePath(global, "socket_file", ServerSettings.DEFAULT_SOCKET_FILE, configDir);
        int socketMode = global.octal("socket_mode", ServerSettings.DEFAULT_SOCKET_MODE);
        Optional<String> socketGroup = global.optionalString("socket_group");
        for (String key : List.of("socket_file", "socket_mode", "socket_group")) {
            Optional<IniValue> inGlobal = global.raw(key);
            Optional<IniValue> inServer = server.raw(key);
            if (inGlobal.isPresent() && inServer.isPresent()) {
                global.warn(inGlobal.get(), "overridden by [server] " + key + " at " + inServer.get().location());
            }
        }
        if (server.raw("socket_file").isPresent()) {
            socketFile = absolutePath(server, "socket_file", socketFile, configDir);
        }
        socketMode = server.octal("socket_mode", socketMode);
        if (server.raw("socket_group").isPresent()) {
            socketGroup = server.optionalString("socket_group");
        }
        Optional<HostPort> listen = server.raw("listen")
                .filter(value -> !value.value().isBlank())
                .map(value -> hostPort(server, value));

        return new ServerSettings(socketFile, socketMode, socketGroup, listen, allowedDirs(server),
                server.duration("keepalive_interval", ServerSettings.DEFAULT_KEEPALIVE_INTERVAL,
                        ServerSettings.MIN_KEEPALIVE_INTERVAL, ServerSettings.MAX_KEEPALIVE_INTERVAL),
                server.duration("request_deadline", ServerSettings.DEFAULT_REQUEST_DEADLINE,
                        ServerSettings.MIN_REQUEST_DEADLINE, ServerSettings.MAX_REQUEST_DEADLINE),
                server.duration("idle_timeout", ServerSettings.DEFAULT_IDLE_TIMEOUT,
                        ServerSettings.MIN_IDLE_TIMEOUT, ServerSettings.MAX_IDLE_TIMEOUT),
                (int) server.size("max_line_length", ServerSettings.DEFAULT_MAX_LINE_LENGTH,
                        ServerSettings.MIN_MAX_LINE_LENGTH, ServerSettings.MAX_MAX_LINE_LENGTH),
                server.integer("max_parts", ServerSettings.DEFAULT_MAX_PARTS,
                        ServerSettings.MIN_MAX_PARTS, ServerSettings.MAX_MAX_PARTS),
                (int) server.size("max_reply_size", ServerSettings.DEFAULT_MAX_REPLY_SIZE,
                        ServerSettings.MIN_MAX_REPLY_SIZE, ServerSettings.MAX_MAX_REPLY_SIZE));
    }

    private static List<Path> allowedDirs(SectionReader server) {
        Optional<List<IniValue>> items = server.rawList("allowed_dir");
        if (items.isEmpty()) {
            return ServerSettings.DEFAULT_ALLOWED_DIRS;
        }
        if (items.get().isEmpty()) {
            throw new ConfigException(server.location("allowed_dir").orElse(null), SERVER, "allowed_dir",
                    "the list is empty after its reset, so Peekaboo could not read any file;"
                            + " give at least one directory, e.g. allowed_dir.0: /var/lib/amavis/tmp");
        }
        List<Path> dirs = new ArrayList<>();
        for (IniValue item : items.get()) {
            if (item.value().isBlank()) {
                throw server.error(item, "is empty (allowed: an absolute directory path)");
            }
            Path dir = server.pathOf(item);
            if (!dir.isAbsolute()) {
                throw server.error(item, "\"" + item.value() + "\" is not an absolute path (allowed: an absolute"
                        + " directory path, because amavis names files by absolute path)");
            }
            if (dir.normalize().getNameCount() == 0) {
                server.warn(item, "allows every file on this system to be read by any client of Peekaboo");
            }
            dirs.add(dir);
        }
        return dirs;
    }

    private static Path absolutePath(SectionReader reader, String key, Path defaultValue, Path configDir) {
        Optional<IniValue> raw = reader.raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Path resolved = configDir.resolve(reader.path(key, defaultValue)).normalize();
        if (key.equals("socket_file")) {
            ServerSettings.socketPathProblem(resolved).ifPresent(problem -> {
                throw reader.error(raw.get(), problem);
            });
        }
        return resolved;
    }

    private static HostPort hostPort(SectionReader server, IniValue value) {
        try {
            return HostPort.parse(value.value());
        } catch (ConfigException e) {
            throw server.error(value, e.getMessage());
        }
    }

    private static Optional<String> jdbcUrl(SectionReader db) {
        Optional<IniValue> raw = db.raw("url").filter(value -> !value.value().isBlank());
        raw.ifPresent(value -> StoreSettings.jdbcUrlProblem(value.value()).ifPresent(problem -> {
            throw db.error(value, problem);
        }));
        return raw.map(IniValue::value);
    }

    private static LoggingSettings logLevel(SectionReader logging) {
        Optional<IniValue> raw = logging.raw("log_level");
        if (raw.isEmpty()) {
            return LoggingSettings.defaults();
        }
        try {
            return new LoggingSettings(raw.get().value());
        } catch (ConfigException e) {
            throw logging.error(raw.get(), e.getMessage());
        }
    }

    private static void ignorePeekabooAvOptions(SectionReader global, SectionReader logging, SectionReader db,
            SectionReader cluster, SectionReader analyzers) {
        global.ignore("user", "Peekaboo does not switch users; start it as the right user (systemd User=)");
        global.ignore("group", "Peekaboo does not switch groups; start it with the right group (systemd Group=)");
        global.ignore("host", "PeekabooAV's REST API address; Peekaboo's TCP listener is [server] listen");
        global.ignore("port", "PeekabooAV's REST API port; Peekaboo's TCP listener is [server] listen");
        global.ignore("pid_file", "Peekaboo writes no PID file; the service manager tracks the process");
        global.ignore("processing_info_dir", "Peekaboo keeps its reports in the database");
        global.ignore("report_locale", "reasons are reported in English; translations are " + LATER);
        global.ignore("drop_dir_template", "Peekaboo always reads drop files from <config file>.d/");
        global.ignore("drop_file_glob", "Peekaboo always reads drop files named [0-9][0-9]-*.conf");
        global.ignore("interpreter", "Peekaboo runs on the JVM and needs no interpreter");
        logging.ignore("log_format", "Peekaboo's log format is fixed");
        db.ignore("log_level", "database messages follow [logging] log_level");
        cluster.ignore("instance_id", "cluster operation is " + LATER);
        cluster.ignore("stale_in_flight_threshold", "cluster operation is " + LATER);
        cluster.ignore("duplicate_check_interval", "cluster operation is " + LATER);
        analyzers.ignore("config", "external analyzers (Cuckoo, Cortex) are " + LATER);
    }
}
