package org.peekaboo.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon's whole configuration, validated and frozen. Built by
 * {@link PeekabooConfigLoader#load} from peekaboo.conf or by {@link #embedded} without any file.
 *
 * @param source the main configuration file, or null for the embedded defaults
 */
public record PeekabooConfig(Path source, AnalysisSettings analysis, ServerSettings server, StoreSettings store,
        RulesetSettings ruleset, LoggingSettings logging, ClusterSettings cluster, ExpansionSettings expansion,
        ClamdSettings clamd, HttpSettings http) {

    public PeekabooConfig {
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(ruleset, "ruleset");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(expansion, "expansion");
        Objects.requireNonNull(clamd, "clamd");
        Objects.requireNonNull(http, "http");
    }

    /** Without the HTTP listener. */
    public PeekabooConfig(Path source, AnalysisSettings analysis, ServerSettings server, StoreSettings store,
                          RulesetSettings ruleset, LoggingSettings logging, ClusterSettings cluster,
                          ExpansionSettings expansion, ClamdSettings clamd) {
        this(source, analysis, server, store, ruleset, logging, cluster, expansion, clamd, HttpSettings.off());
    }

    /** Without the clamd front end. */
    public PeekabooConfig(Path source, AnalysisSettings analysis, ServerSettings server, StoreSettings store,
                          RulesetSettings ruleset, LoggingSettings logging, ClusterSettings cluster,
                          ExpansionSettings expansion) {
        this(source, analysis, server, store, ruleset, logging, cluster, expansion, ClamdSettings.off());
    }

    /** With containers opened as the defaults say. */
    public PeekabooConfig(Path source, AnalysisSettings analysis, ServerSettings server, StoreSettings store,
                          RulesetSettings ruleset, LoggingSettings logging, ClusterSettings cluster) {
        this(source, analysis, server, store, ruleset, logging, cluster, ExpansionSettings.defaults());
    }

    /** Every setting at its documented default, as for an empty peekaboo.conf. */
    public static PeekabooConfig defaults(Path source) {
        return new PeekabooConfig(source, AnalysisSettings.defaults(), ServerSettings.defaults(),
                StoreSettings.defaults(), RulesetSettings.builtIn(), LoggingSettings.defaults(),
                ClusterSettings.defaults());
    }

    /**
     * Defaults for trying Peekaboo out as an ordinary user without any file: socket and database
     * in the user's own directories, and the user's home, the temporary directory and the
     * current directory allowed, so files the user names on the command line can be scanned.
     */
    public static PeekabooConfig embedded(EmbeddedEnvironment environment) {
        Path socketFile = xdgDirectory(environment.env(), "XDG_RUNTIME_DIR")
                .map(runtime -> runtime.resolve("peekaboo"))
                .orElseGet(() -> environment.tmpDir().resolve("peekaboo-" + safeUserName(environment.user())))
                .resolve("peekaboo.sock");
        Path dataDir = xdgDirectory(environment.env(), "XDG_DATA_HOME")
                .orElseGet(() -> environment.home().resolve(".local").resolve("share"))
                .resolve("peekaboo");
        List<Path> allowed = List.of(environment.home(), environment.tmpDir(), environment.cwd());
        ServerSettings server = ServerSettings.defaults().withSocketFile(socketFile).withAllowedDirs(allowed);
        return new PeekabooConfig(null, AnalysisSettings.defaults(), server,
                StoreSettings.defaults().withDataDir(dataDir), RulesetSettings.builtIn(), LoggingSettings.defaults(),
                ClusterSettings.defaults());
    }

    /** The main configuration file, empty for the embedded defaults. */
    public Optional<Path> sourceFile() {
        return Optional.ofNullable(source);
    }

    public PeekabooConfig withSocketFile(Path socketFile) {
        return withServer(server.withSocketFile(socketFile));
    }

    public PeekabooConfig withListen(HostPort listen) {
        return withServer(server.withListen(listen));
    }

    public PeekabooConfig withAllowedDirs(List<Path> allowedDirs) {
        return withServer(server.withAllowedDirs(allowedDirs));
    }

    public PeekabooConfig withDataDir(Path dataDir) {
        return new PeekabooConfig(source, analysis, server, store.withDataDir(dataDir), ruleset, logging, cluster,
                expansion, clamd, http);
    }

    private PeekabooConfig withServer(ServerSettings newServer) {
        return new PeekabooConfig(source, analysis, newServer, store, ruleset, logging, cluster, expansion, clamd,
                http);
    }

    public PeekabooConfig withClamd(ClamdSettings newClamd) {
        return new PeekabooConfig(source, analysis, server, store, ruleset, logging, cluster, expansion, newClamd,
                http);
    }

    public PeekabooConfig withHttp(HttpSettings newHttp) {
        return new PeekabooConfig(source, analysis, server, store, ruleset, logging, cluster, expansion, clamd,
                newHttp);
    }

    /** The XDG base directory spec says to ignore unset, empty and relative values. */
    private static Optional<Path> xdgDirectory(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable))
                .filter(value -> !value.isBlank())
                .map(Path::of)
                .filter(Path::isAbsolute);
    }

    /** The user name becomes part of a path; anything else than a plain name must not. */
    private static String safeUserName(String user) {
        String safe = user.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "user" : safe;
    }
}
