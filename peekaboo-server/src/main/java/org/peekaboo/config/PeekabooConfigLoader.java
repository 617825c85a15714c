package org.peekaboo.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peekaboo.verdict.Result;

/**
 * Reads peekaboo.conf (and its drop files) into a {@link PeekabooConfig}. A PeekabooAV
 * peekaboo.conf loads too: options that mean nothing to Peekaboo are accepted with a warning
 * each; anything unknown stops the start-up with the file and line to fix.
 */
public final class PeekabooConfigLoader {
    /** Holds the database password, for service managers that hand secrets over in the environment. */
    public static final String PASSWORD_VARIABLE = "PEEKABOO_DB_PASSWORD";

    static final Set<String> SECTIONS = Set.of("global", "server", "db", "ruleset", "logging", "cluster", "analyzers",
            "analysis", "expansion", "clamd", "http");

    private static final String GLOBAL = "global";
    private static final String SERVER = "server";
    private static final String LATER = "used from a later version of Peekaboo";

    private PeekabooConfigLoader() {
    }

    /**
     * @throws ConfigException if a file is missing, unreadable or contains anything invalid or unknown
     */
    public static LoadedConfig load(Path mainFile) {
        return load(mainFile, System.getenv());
    }

    /**
     * Like {@link #load(Path)} with the given environment instead of the process's (it may
     * hold {@value #PASSWORD_VARIABLE}).
     */
    public static LoadedConfig load(Path mainFile, Map<String, String> environment) {
        return fromDocument(mainFile, IniDocument.load(mainFile), environment);
    }

    static LoadedConfig fromDocument(Path mainFile, IniDocument doc) {
        return fromDocument(mainFile, doc, System.getenv());
    }

    static LoadedConfig fromDocument(Path mainFile, IniDocument doc, Map<String, String> environment) {
        doc.requireSectionsIn(SECTIONS);
        Path configDir = mainFile.toAbsolutePath().normalize().getParent();

        SectionReader global = new SectionReader(doc, GLOBAL);
        SectionReader server = new SectionReader(doc, SERVER);
        SectionReader db = new SectionReader(doc, "db");
        SectionReader ruleset = new SectionReader(doc, "ruleset");
        SectionReader logging = new SectionReader(doc, "logging");
        SectionReader cluster = new SectionReader(doc, "cluster");
        SectionReader analyzers = new SectionReader(doc, "analyzers");
        SectionReader samples = new SectionReader(doc, "analysis");
        SectionReader expansionSection = new SectionReader(doc, "expansion");
        SectionReader clamdSection = new SectionReader(doc, "clamd");
        SectionReader httpSection = new SectionReader(doc, "http");

        AnalysisSettings analysis = new AnalysisSettings(
                global.integer("worker_count", AnalysisSettings.DEFAULT_WORKER_COUNT,
                        AnalysisSettings.MIN_WORKER_COUNT, AnalysisSettings.MAX_WORKER_COUNT),
                samples.size("max_sample_size", AnalysisSettings.DEFAULT_MAX_SAMPLE_SIZE,
                        AnalysisSettings.MIN_MAX_SAMPLE_SIZE, AnalysisSettings.MAX_MAX_SAMPLE_SIZE));
        ServerSettings serverSettings = readServer(global, server, configDir);
        StoreSettings store = readStore(global, db, configDir, environment).withMinFreeSpace(global.size(
                "min_free_space", StoreSettings.DEFAULT_MIN_FREE_SPACE, 0, StoreSettings.MAX_MIN_FREE_SPACE));
        RulesetSettings rulesetSettings = new RulesetSettings(
                ruleset.optionalPath("config").map(configDir::resolve).map(Path::normalize),
                analyzers.optionalPath("config").map(configDir::resolve).map(Path::normalize));
        LoggingSettings loggingSettings = logLevel(logging);
        ClusterSettings clusterSettings = readCluster(cluster);
        ExpansionSettings expansion = readExpansion(expansionSection);
        ClamdSettings clamd = readClamd(clamdSection, configDir, serverSettings);
        HttpSettings http = readHttp(httpSection, configDir, serverSettings);
        if (clamd.enabled() && clamd.streamMaxLength() > analysis.maxSampleSize()) {
            clamdSection.raw("stream_max_length").ifPresentOrElse(
                    value -> clamdSection.warn(value, "is above [analysis] max_sample_size ("
                            + analysis.maxSampleSize() + " bytes): streams between the two are answered"
                            + " undecided on every retry"),
                    () -> samples.raw("max_sample_size").ifPresent(value -> samples.warn(value,
                            "is below [clamd] stream_max_length (" + clamd.streamMaxLength() + " bytes): streams"
                                    + " between the two are answered undecided on every retry")));
        }

        ignorePeekabooAvOptions(global, logging, db, cluster);

        List<SectionReader> readers = List.of(global, server, db, ruleset, logging, cluster, analyzers,
                samples, expansionSection, clamdSection, httpSection);
        List<ConfigWarning> warnings = new ArrayList<>();
        for (SectionReader reader : readers) {
            reader.finish();
            warnings.addAll(reader.warnings());
        }
        // In file order, so the operator can work through them top to bottom.
        warnings.sort(Comparator.comparing((ConfigWarning w) -> doc.files().indexOf(w.location().file()))
                .thenComparing(w -> w.location().line()));
        PeekabooConfig config = new PeekabooConfig(mainFile, analysis, serverSettings, store, rulesetSettings,
                loggingSettings, clusterSettings, expansion, clamd, http);
        return new LoadedConfig(config, warnings);
    }

    private static ClamdProfile profile(SectionReader clamd, String key, ClamdProfile fallback) {
        Optional<IniValue> raw = clamd.raw(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        return ClamdProfile.parse(clamd.string(key, fallback.label())).orElseThrow(() -> clamd.error(raw.get(),
                "is not a profile; use one of " + java.util.Arrays.stream(ClamdProfile.values())
                        .map(ClamdProfile::label).toList()));
    }

    /**
     * The clamd front end. TCP beyond loopback needs the same consent and client list as the line
     * protocol's ([server] listen_beyond_loopback's counterpart here, [server] allowed_client shared),
     * because path commands make Peekaboo read files too.
     */
    private static ClamdSettings readClamd(SectionReader clamd, Path configDir, ServerSettings server) {
        ClamdSettings defaults = ClamdSettings.off();
        Optional<Path> socket = clamd.raw("socket_file").filter(value -> !value.value().isBlank())
                .map(value -> configDir.resolve(clamd.pathOf(value)).normalize());
        int socketMode = clamd.octal("socket_mode", ClamdSettings.DEFAULT_SOCKET_MODE);
        if ((socketMode & 0002) != 0) {
            clamd.warn(clamd.raw("socket_mode").orElseThrow(), "lets every local user connect and make Peekaboo"
                    + " read files in the allowed directories; give the socket to the mail filter's group and use 0660");
        }
        Optional<HostPort> listen = frontEndListen(clamd, server, "the clamd"
                + " protocol has no authentication and the connection is not encrypted");
        ClamdProfile profile = profile(clamd, "profile", ClamdProfile.GENERIC);
        ClamdProfile socketProfile = profile(clamd, "socket_profile", profile);
        ClamdProfile listenProfile = profile(clamd, "listen_profile", profile);
        Optional<String> socketGroup = clamd.optionalString("socket_group").filter(group -> !group.isBlank());
        return new ClamdSettings(socket, socketMode, socketGroup, socketProfile, listen, listenProfile,
                clamd.size("stream_max_length", defaults.streamMaxLength(), ClamdSettings.MIN_STREAM_MAX_LENGTH,
                        1L << 40),
                clamd.duration("reply_deadline", defaults.replyDeadline(), ClamdSettings.MIN_REPLY_DEADLINE,
                        ClamdSettings.MAX_REPLY_DEADLINE),
                clamd.duration("command_read_timeout", defaults.commandReadTimeout(),
                        ClamdSettings.MIN_COMMAND_READ_TIMEOUT, ClamdSettings.MAX_COMMAND_READ_TIMEOUT),
                clamd.integer("max_scan_files", defaults.maxScanFiles(), 1, 1_000_000));
    }

    private static ExpansionSettings readExpansion(SectionReader section) {
        ExpansionSettings defaults = ExpansionSettings.defaults();
        return new ExpansionSettings(
                section.bool("enabled", defaults.enabled()),
                section.integer("max_depth", defaults.maxDepth(), 1, 64),
                section.integer("max_members", defaults.maxMembers(), 1, 1_000_000),
                section.size("max_unpacked_size", defaults.maxUnpackedSize(), 1024, 1L << 40),
                section.integer("max_ratio", defaults.maxRatio(), 2, 1_000_000),
                section.size("ratio_threshold", defaults.ratioThreshold(), 0, 1L << 40),
                section.duration("max_time", defaults.maxTime(), Duration.ofSeconds(1), Duration.ofHours(1)),
                section.list("passwords", defaults.passwords()),
                section.bool("passwords_from_text", defaults.passwordsFromText()),
                section.integer("max_password_words", defaults.maxPasswordWords(), 0, 100_000),
                result(section, "limit_result", defaults.limitResult()),
                result(section, "encrypted_result", defaults.encryptedResult()),
                result(section, "unreadable_result", defaults.unreadableResult()),
                result(section, "unsupported_result", defaults.unsupportedResult()));
    }

    /** A result a container gets; {@code unchecked} and the results a rule gives, by their names. */
    private static Result result(SectionReader section, String key, Result defaultValue) {
        Optional<IniValue> raw = section.raw(key);
        String text = section.string(key, defaultValue.label());
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return Result.parse(text).orElseThrow(() -> section.error(raw.get(), "is not a result; use one of "
                + java.util.Arrays.stream(Result.values()).map(Result::label).toList()));
    }

    private static ClusterSettings readCluster(SectionReader cluster) {
        Duration lease = cluster.duration("lease", ClusterSettings.DEFAULT_LEASE,
                ClusterSettings.MIN_LEASE, ClusterSettings.MAX_LEASE);
        Duration renewInterval = cluster.duration("renew_interval", ClusterSettings.DEFAULT_RENEW_INTERVAL,
                ClusterSettings.MIN_RENEW_INTERVAL, ClusterSettings.MAX_RENEW_INTERVAL);
        Duration pollInterval = cluster.duration("poll_interval", ClusterSettings.DEFAULT_POLL_INTERVAL,
                ClusterSettings.MIN_POLL_INTERVAL, ClusterSettings.MAX_POLL_INTERVAL);
        try {
            return new ClusterSettings(lease, renewInterval, pollInterval);
        } catch (ConfigException e) {
            // Each value is in range, so the two disagree; point at whichever was written.
            Optional<IniValue> culprit = cluster.raw("renew_interval").or(() -> cluster.raw("lease"));
            throw culprit.map(value -> cluster.error(value, e.getMessage())).orElse(e);
        }
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
        if ((socketMode & 0002) != 0) {
            IniValue where = server.raw("socket_mode").or(() -> global.raw("socket_mode")).orElseThrow();
            SectionReader reader = server.raw("socket_mode").isPresent() ? server : global;
            reader.warn(where, "lets every local user connect and make Peekaboo read files in the allowed"
                    + " directories; give the socket to amavis' group (socket_group) and use 0660");
        }
        Optional<IniValue> rawListen = server.raw("listen").filter(value -> !value.value().isBlank());
        Optional<HostPort> listen = rawListen.map(value -> hostPort(server, value));
        int maxConnections = server.integer("max_connections", ServerSettings.DEFAULT_MAX_CONNECTIONS,
                ServerSettings.MIN_MAX_CONNECTIONS, ServerSettings.MAX_MAX_CONNECTIONS);
        int maxConnectionsPerClient = server.integer("max_connections_per_client",
                Math.min(ServerSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT, maxConnections), 1, maxConnections);
        boolean beyondLoopback = server.bool("listen_beyond_loopback", false);
        List<ClientNetwork> allowedClients = allowedClients(server, rawListen);
        if (rawListen.isPresent()) {
            IniValue where = rawListen.get();
            ServerSettings.exposureProblem(listen, beyondLoopback, allowedClients).ifPresent(problem -> {
                throw server.error(where, problem);
            });
            if (!listen.get().loopback()) {
                server.warn(where, "accepts connections from other hosts (" + String.join(", ",
                        allowedClients.stream().map(ClientNetwork::toString).toList()) + "); the line protocol"
                        + " has no authentication and the connection is not encrypted");
            }
        }

        return ServerSettings.builder()
                .socketFile(socketFile).socketMode(socketMode).socketGroup(socketGroup).listen(listen)
                .allowedDirs(allowedDirs(server))
                .keepAliveInterval(server.duration("keepalive_interval", ServerSettings.DEFAULT_KEEPALIVE_INTERVAL,
                        ServerSettings.MIN_KEEPALIVE_INTERVAL, ServerSettings.MAX_KEEPALIVE_INTERVAL))
                .requestDeadline(server.duration("request_deadline", ServerSettings.DEFAULT_REQUEST_DEADLINE,
                        ServerSettings.MIN_REQUEST_DEADLINE, ServerSettings.MAX_REQUEST_DEADLINE))
                .idleTimeout(server.duration("idle_timeout", ServerSettings.DEFAULT_IDLE_TIMEOUT,
                        ServerSettings.MIN_IDLE_TIMEOUT, ServerSettings.MAX_IDLE_TIMEOUT))
                .maxLineLength((int) server.size("max_line_length", ServerSettings.DEFAULT_MAX_LINE_LENGTH,
                        ServerSettings.MIN_MAX_LINE_LENGTH, ServerSettings.MAX_MAX_LINE_LENGTH))
                .maxParts(server.integer("max_parts", ServerSettings.DEFAULT_MAX_PARTS,
                        ServerSettings.MIN_MAX_PARTS, ServerSettings.MAX_MAX_PARTS))
                .maxReplySize((int) server.size("max_reply_size", ServerSettings.DEFAULT_MAX_REPLY_SIZE,
                        ServerSettings.MIN_MAX_REPLY_SIZE, ServerSettings.MAX_MAX_REPLY_SIZE))
                .shutdownGrace(server.duration("shutdown_grace", ServerSettings.DEFAULT_SHUTDOWN_GRACE,
                        ServerSettings.MIN_SHUTDOWN_GRACE, ServerSettings.MAX_SHUTDOWN_GRACE))
                .maxConnections(maxConnections).maxConnectionsPerClient(maxConnectionsPerClient)
                .listenBeyondLoopback(beyondLoopback).allowedClients(allowedClients)
                .build();
    }

    private static List<ClientNetwork> allowedClients(SectionReader server, Optional<IniValue> listen) {
        List<ClientNetwork> clients = new ArrayList<>();
        for (IniValue item : server.rawList("allowed_client").orElse(List.of())) {
            ClientNetwork client;
            try {
                client = ClientNetwork.parse(item.value());
            } catch (ConfigException e) {
                throw server.error(item, e.getMessage());
            }
            if (client.everyone()) {
                server.warn(item, "admits every address; list the hosts or networks of your mail filters instead");
            }
            if (listen.isEmpty()) {
                server.warn(item, "has no effect without [server] listen");
            }
            clients.add(client);
        }
        return clients;
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

    /**
     * A front end's own {@code listen} address, with the consent that {@code [server]
     * listen_beyond_loopback} asks for the line protocol given by the section's own
     * {@code listen_beyond_loopback}; {@code risk} completes the warning about other hosts.
     */
    private static Optional<HostPort> frontEndListen(SectionReader section, ServerSettings server, String risk) {
        Optional<IniValue> rawListen = section.raw("listen").filter(value -> !value.value().isBlank());
        Optional<HostPort> listen = rawListen.map(value -> hostPort(section, value));
        boolean beyondLoopback = section.bool("listen_beyond_loopback", false);
        if (rawListen.isPresent()) {
            ServerSettings.exposureProblem(listen, beyondLoopback, server.allowedClients()).ifPresent(problem -> {
                throw section.error(rawListen.get(), problem.replace("[server] listen_beyond_loopback",
                        "[" + section.sectionName() + "] listen_beyond_loopback"));
            });
            if (!listen.get().loopback()) {
                section.warn(rawListen.get(), "accepts connections from other hosts (" + String.join(", ",
                        server.allowedClients().stream().map(ClientNetwork::toString).toList()) + "); " + risk);
            }
        }
        return listen;
    }

    /**
     * The HTTP listener. Beyond loopback it asks the same consent as the clamd front end; without
     * a token or TLS it warns, since then anyone allowed to connect may read every job's report.
     */
    private static HttpSettings readHttp(SectionReader http, Path configDir, ServerSettings server) {
        HttpSettings defaults = HttpSettings.off();
        Optional<IniValue> rawCertificate = http.raw("tls_certificate").filter(value -> !value.value().isBlank());
        Optional<IniValue> rawKey = http.raw("tls_key").filter(value -> !value.value().isBlank());
        Optional<IniValue> rawToken = http.raw("token_file").filter(value -> !value.value().isBlank());
        Optional<HostPort> listen = frontEndListen(http, server, rawToken.isPresent() && rawCertificate.isPresent()
                ? "they need the token" : "set token_file and tls_certificate so that only your mail filters may"
                + " submit and read reports");
        if (rawCertificate.isPresent() != rawKey.isPresent()) {
            throw http.error(rawCertificate.or(() -> rawKey).orElseThrow(),
                    "TLS needs both tls_certificate and tls_key");
        }
        Optional<Path> certificate = rawCertificate.map(value -> readablePemFile(http, value, configDir));
        Optional<Path> key = rawKey.map(value -> readablePemFile(http, value, configDir));
        Optional<Secret> token = rawToken.map(value -> PasswordFile.read(http, value,
                configDir.resolve(http.pathOf(value)).normalize(), "the bearer token"));
        return new HttpSettings(listen, certificate, key, token,
                http.size("max_upload_size", defaults.maxUploadSize(), HttpSettings.MIN_MAX_UPLOAD_SIZE,
                        Long.MAX_VALUE),
                http.duration("scan_wait", defaults.scanWait(), Duration.ZERO, HttpSettings.MAX_SCAN_WAIT),
                http.duration("job_deadline", defaults.jobDeadline(), HttpSettings.MIN_JOB_DEADLINE,
                        HttpSettings.MAX_JOB_DEADLINE));
    }

    private static Path readablePemFile(SectionReader section, IniValue value, Path configDir) {
        Path file = configDir.resolve(section.pathOf(value)).normalize();
        if (!Files.isReadable(file)) {
            throw section.error(value, file + " does not exist or cannot be read");
        }
        return file;
    }

    private static HostPort hostPort(SectionReader server, IniValue value) {
        try {
            return HostPort.parse(value.value());
        } catch (ConfigException e) {
            throw server.error(value, e.getMessage());
        }
    }

    private static StoreSettings readStore(SectionReader global, SectionReader db, Path configDir,
                                           Map<String, String> environment) {
        Path dataDir = absolutePath(global, "data_dir", StoreSettings.DEFAULT_DATA_DIR, configDir);
        Optional<IniValue> rawUrl = db.raw("url").filter(value -> !value.value().isBlank());
        Optional<DatabaseUrl> url = rawUrl.map(value -> databaseUrl(db, value));
        Optional<IniValue> rawUser = db.raw("user").filter(value -> !value.value().isBlank());
        Optional<IniValue> passwordFile = db.raw("password_file").filter(value -> !value.value().isBlank());
        int poolSize = db.integer("pool_size", StoreSettings.DEFAULT_POOL_SIZE, StoreSettings.MIN_POOL_SIZE,
                StoreSettings.MAX_POOL_SIZE);
        Duration connectTimeout = db.duration("connect_timeout", StoreSettings.DEFAULT_CONNECT_TIMEOUT,
                StoreSettings.MIN_CONNECT_TIMEOUT, StoreSettings.MAX_CONNECT_TIMEOUT);
        RetentionSettings retention = readRetention(db);
        if (url.isEmpty()) {
            // The embedded database has no credentials to set; accepting them would suggest it does.
            for (IniValue credential : List.of(rawUser, passwordFile).stream().flatMap(Optional::stream).toList()) {
                throw db.error(credential, "applies only to an external database; set [db] url as well");
            }
            return new StoreSettings(dataDir, Optional.empty(), Optional.empty(), Optional.empty(), poolSize,
                    connectTimeout, retention);
        }
        if (url.get().password().isPresent()) {
            PasswordFile.requirePrivateConfigFile(db, rawUrl.get(), "the database password (in [db] url)");
        }
        Optional<String> user = url.get().user();
        if (rawUser.isPresent()) {
            String configured = rawUser.get().value().strip();
            if (user.isPresent() && !user.get().equals(configured)) {
                throw db.error(rawUser.get(), "\"" + configured + "\" contradicts the user \"" + user.get()
                        + "\" in [db] url; give the user in one place");
            }
            user = Optional.of(configured);
        }
        Optional<Secret> password = password(db, configDir, rawUrl.get(), url.get(), passwordFile, environment);
        return new StoreSettings(dataDir, Optional.of(url.get().jdbcUrl()), user, password, poolSize, connectTimeout,
                retention);
    }

    private static RetentionSettings readRetention(SectionReader db) {
        Duration resultMaxAge = db.duration("result_max_age", RetentionSettings.DEFAULT_RESULT_MAX_AGE,
                RetentionSettings.MIN_RESULT_MAX_AGE, RetentionSettings.MAX_RESULT_MAX_AGE);
        Duration purgeAfter = db.duration("purge_after", RetentionSettings.DEFAULT_PURGE_AFTER,
                RetentionSettings.MIN_PURGE_AFTER, RetentionSettings.MAX_PURGE_AFTER);
        Duration purgeInterval = db.duration("purge_interval", RetentionSettings.DEFAULT_PURGE_INTERVAL,
                RetentionSettings.MIN_PURGE_INTERVAL, RetentionSettings.MAX_PURGE_INTERVAL);
        int purgeBatch = db.integer("purge_batch", RetentionSettings.DEFAULT_PURGE_BATCH,
                RetentionSettings.MIN_PURGE_BATCH, RetentionSettings.MAX_PURGE_BATCH);
        try {
            return new RetentionSettings(resultMaxAge, purgeAfter, purgeInterval, purgeBatch);
        } catch (ConfigException e) {
            // Each value is in range, so the two ages disagree; point at whichever was written.
            Optional<IniValue> culprit = db.raw("purge_after").or(() -> db.raw("result_max_age"));
            throw culprit.map(value -> db.error(value, e.getMessage())).orElse(e);
        }
    }

    private static DatabaseUrl databaseUrl(SectionReader db, IniValue value) {
        try {
            return DatabaseUrl.parse(value.value());
        } catch (ConfigException e) {
            throw db.error(value, e.getMessage());
        }
    }

    /**
     * The environment wins over the password file, which wins over a password in the URL: the
     * more specific to this machine and the further from the shared config, the later it was
     * meant to apply. A password that is overridden is warned about, never shown.
     */
    private static Optional<Secret> password(SectionReader db, Path configDir, IniValue rawUrl, DatabaseUrl url,
                                             Optional<IniValue> passwordFile, Map<String, String> environment) {
        Optional<Secret> fromEnvironment = Optional.ofNullable(environment.get(PASSWORD_VARIABLE))
                .filter(value -> !value.isEmpty()).map(Secret::new);
        Optional<Secret> fromFile = passwordFile.map(file -> PasswordFile.read(db, file, configDir.resolve(db.pathOf(file)).normalize()));
        if (fromEnvironment.isPresent()) {
            passwordFile.ifPresent(file -> db.warn(file, "overridden by the environment variable "
                    + PASSWORD_VARIABLE));
            if (url.password().isPresent()) {
                db.warn(rawUrl, "the password in the URL is overridden by the environment variable "
                        + PASSWORD_VARIABLE);
            }
            return fromEnvironment;
        }
        if (fromFile.isPresent()) {
            if (url.password().isPresent()) {
                db.warn(rawUrl, "the password in the URL is overridden by [db] password_file");
            }
            return fromFile;
        }
        return url.password();
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
            SectionReader cluster) {
        global.ignore("queue_size", "samples are refused by time, not by count: only when they could not be judged"
                + " before their client stops waiting ([server] request_deadline)");
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
        cluster.ignore("instance_id", "every Peekaboo process generates its own unique instance id");
        cluster.ignore("stale_in_flight_threshold", "locks expire with their lease, see [cluster] lease");
        cluster.ignore("duplicate_check_interval", "samples locked elsewhere are checked every [cluster] poll_interval");
    }
}
