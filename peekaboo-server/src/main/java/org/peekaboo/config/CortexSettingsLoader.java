package org.peekaboo.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads PeekabooAV's analyzers.conf: the {@code [cortex]} section becomes {@link CortexSettings}.
 * PeekabooAV's {@code [cuckoo]} section (direct Cuckoo access) is refused: Peekaboo reaches
 * sandboxes only through Cortex's analyzers.
 *
 * <p>A {@code [cortex]} section that sets nothing (PeekabooAV's sample, every line commented
 * out) leaves Cortex unconfigured instead of failing for the missing API key: only a ruleset
 * that needs Cortex is then refused, naming its rules. A section that sets anything is
 * checked in full.
 */
public final class CortexSettingsLoader {
    /** Holds the Cortex API key, for service managers that hand secrets over in the environment. */
    public static final String TOKEN_VARIABLE = "PEEKABOO_CORTEX_API_TOKEN";

    static final Set<String> SECTIONS = Set.of("cortex", "cuckoo");
    private static final Map<String, Integer> TLP_NAMES = Map.of("white", 0, "clear", 0, "green", 1, "amber", 2,
            "red", 3);

    /**
     * The settings, if {@code [cortex]} configures Cortex, and what the operator should still be
     * told about them.
     *
     * @param file       the analyzers.conf read
     * @param configured the settings; empty when {@code [cortex]} sets nothing and the
     *                   environment gives no API key
     */
    public record Loaded(Path file, Optional<CortexSettings> configured, List<ConfigWarning> warnings) {
        public Loaded {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(configured, "configured");
            warnings = List.copyOf(warnings);
        }

        /**
         * @throws ConfigException saying {@link #notConfigured() why} when Cortex is not configured
         */
        public CortexSettings settings() {
            return configured.orElseThrow(() -> new ConfigException(notConfigured()));
        }

        /** Why Cortex cannot be used when it is not configured, and what to set. */
        public String notConfigured() {
            return "[cortex] in " + file + " sets nothing; set api_token, api_token_file or the environment variable "
                    + TOKEN_VARIABLE + " to the key of a Cortex user with the roles read and analyze";
        }
    }

    private CortexSettingsLoader() {
    }

    /**
     * @throws ConfigException if the file is missing, unreadable or contains anything invalid or unknown
     */
    public static Loaded load(Path file, Map<String, String> environment) {
        IniDocument doc = IniDocument.load(file);
        return fromDocument(file, doc, environment);
    }

    static Loaded fromDocument(Path file, IniDocument doc, Map<String, String> environment) {
        doc.requireSectionsIn(SECTIONS);
        Path configDir = file.toAbsolutePath().normalize().getParent();
        SectionReader cortex = new SectionReader(doc, "cortex");
        SectionReader cuckoo = new SectionReader(doc, "cuckoo");
        rejectCuckoo(doc, cuckoo);
        if (doc.section("cortex").map(section -> section.keys().isEmpty()).orElse(true)
                && environmentToken(environment).isEmpty()) {
            return new Loaded(file, Optional.empty(), cuckoo.warnings());
        }

        URI url = url(cortex);
        Secret token = token(cortex, configDir, environment);
        int tlp = tlp(cortex);
        Duration pollInterval = cortex.duration("poll_interval", CortexSettings.DEFAULT_POLL_INTERVAL,
                CortexSettings.MIN_POLL_INTERVAL, CortexSettings.MAX_POLL_INTERVAL);
        boolean originalName = cortex.bool("submit_original_filename", true);
        Duration maxJobAge = cortex.duration("maximum_job_age", CortexSettings.DEFAULT_MAX_JOB_AGE,
                CortexSettings.MIN_MAX_JOB_AGE, CortexSettings.MAX_MAX_JOB_AGE);
        Duration connectTimeout = cortex.duration("connect_timeout", CortexSettings.DEFAULT_CONNECT_TIMEOUT,
                CortexSettings.MIN_CONNECT_TIMEOUT, CortexSettings.MAX_CONNECT_TIMEOUT);
        Duration requestTimeout = cortex.duration("request_timeout", CortexSettings.DEFAULT_REQUEST_TIMEOUT,
                CortexSettings.MIN_REQUEST_TIMEOUT, CortexSettings.MAX_REQUEST_TIMEOUT);
        int retries = cortex.integer("retries", CortexSettings.DEFAULT_RETRIES, 0, CortexSettings.MAX_RETRIES);
        long maxFileSize = cortex.size("max_file_size", CortexSettings.DEFAULT_MAX_FILE_SIZE,
                CortexSettings.MIN_MAX_FILE_SIZE, CortexSettings.MAX_MAX_FILE_SIZE);
        CortexSettings.AnalyzerNames names = new CortexSettings.AnalyzerNames(
                analyzerName(cortex, "fileinfo_analyzer", CortexSettings.AnalyzerNames.DEFAULT_FILE_INFO),
                analyzerName(cortex, "virustotal_analyzer", CortexSettings.AnalyzerNames.DEFAULT_VIRUS_TOTAL),
                analyzerName(cortex, "hybridanalysis_analyzer", CortexSettings.AnalyzerNames.DEFAULT_HYBRID_ANALYSIS),
                analyzerName(cortex, "cuckoosandbox_analyzer", CortexSettings.AnalyzerNames.DEFAULT_CUCKOO_SANDBOX),
                analyzerName(cortex, "cape_analyzer", CortexSettings.AnalyzerNames.DEFAULT_CAPE));
        cortex.finish();
        List<ConfigWarning> warnings = new ArrayList<>(cuckoo.warnings());
        warnings.addAll(cortex.warnings());
        return new Loaded(file, Optional.of(new CortexSettings(url, token, tlp, pollInterval, originalName, maxJobAge,
                connectTimeout, requestTimeout, retries, maxFileSize, names)), warnings);
    }

    private static void rejectCuckoo(IniDocument doc, SectionReader cuckoo) {
        Optional<IniSection> section = doc.section("cuckoo");
        if (section.isEmpty()) {
            return;
        }
        String instead = "Peekaboo does not submit to Cuckoo directly; run Cuckoo or CAPE behind Cortex and set"
                + " [cortex] cuckoosandbox_analyzer or cape_analyzer to the name of Cortex's CuckooSandbox or CAPE"
                + " analyzer";
        for (String key : section.get().keys()) {
            throw new ConfigException(section.get().location(key).orElse(section.get().location()), "cuckoo", key,
                    instead);
        }
        cuckoo.warn(new IniValue("(section)", "", section.get().location()), "empty section ignored: " + instead);
    }

    private static URI url(SectionReader cortex) {
        Optional<IniValue> raw = cortex.raw("url");
        if (raw.isEmpty() || raw.get().value().isBlank()) {
            return CortexSettings.DEFAULT_URL;
        }
        try {
            URI url = new URI(raw.get().value().strip());
            // Validated here so that the error names the line; the record repeats the check for code.
            new CortexSettings(url, new Secret("x"), CortexSettings.DEFAULT_TLP,
                    CortexSettings.DEFAULT_POLL_INTERVAL, true, CortexSettings.DEFAULT_MAX_JOB_AGE,
                    CortexSettings.DEFAULT_CONNECT_TIMEOUT, CortexSettings.DEFAULT_REQUEST_TIMEOUT, 0,
                    CortexSettings.DEFAULT_MAX_FILE_SIZE, CortexSettings.AnalyzerNames.defaults());
            return url;
        } catch (URISyntaxException e) {
            throw cortex.error(raw.get(), "\"" + raw.get().value() + "\" is not a URL: " + e.getReason()
                    + " (allowed: http[s]://host[:port][/path], e.g. http://127.0.0.1:9001)");
        } catch (ConfigException e) {
            throw cortex.error(raw.get(), e.getMessage() + " (allowed: http[s]://host[:port][/path])");
        }
    }

    /**
     * The environment wins over the token file, which wins over a token in the file itself, as for
     * the database password. An overridden token is warned about, never shown.
     */
    private static Secret token(SectionReader cortex, Path configDir, Map<String, String> environment) {
        Optional<IniValue> inline = cortex.raw("api_token").filter(value -> !value.value().isBlank());
        Optional<IniValue> file = cortex.raw("api_token_file").filter(value -> !value.value().isBlank());
        Optional<String> fromEnvironment = environmentToken(environment);
        inline.ifPresent(value -> PasswordFile.requirePrivateConfigFile(cortex, value,
                "the Cortex API key ([cortex] api_token)"));
        if (fromEnvironment.isPresent()) {
            inline.ifPresent(value -> cortex.warn(value, "overridden by the environment variable " + TOKEN_VARIABLE));
            file.ifPresent(value -> cortex.warn(value, "overridden by the environment variable " + TOKEN_VARIABLE));
            return new Secret(fromEnvironment.get().strip());
        }
        if (file.isPresent()) {
            inline.ifPresent(value -> cortex.warn(value, "overridden by [cortex] api_token_file"));
            return PasswordFile.read(cortex, file.get(), configDir.resolve(cortex.pathOf(file.get())).normalize(),
                    "the Cortex API key");
        }
        if (inline.isPresent()) {
            return new Secret(inline.get().value().strip());
        }
        throw new ConfigException(cortex.location("api_token").orElse(null), "cortex", "api_token",
                "no API key given; set api_token, api_token_file or the environment variable " + TOKEN_VARIABLE
                        + " to the key of a Cortex user with the roles read and analyze");
    }

    private static Optional<String> environmentToken(Map<String, String> environment) {
        return Optional.ofNullable(environment.get(TOKEN_VARIABLE)).filter(value -> !value.isBlank());
    }

    private static int tlp(SectionReader cortex) {
        Optional<IniValue> raw = cortex.raw("tlp");
        if (raw.isEmpty() || raw.get().value().isBlank()) {
            return CortexSettings.DEFAULT_TLP;
        }
        String value = raw.get().value().strip().toLowerCase(Locale.ROOT);
        Integer tlp = TLP_NAMES.get(value);
        if (tlp == null && value.matches("[0-3]")) {
            tlp = Integer.parseInt(value);
        }
        if (tlp == null) {
            throw cortex.error(raw.get(), "\"" + raw.get().value()
                    + "\" is not a TLP level (allowed: white, green, amber, red or 0 to 3)");
        }
        if (tlp == 3) {
            cortex.warn(raw.get(), "analyzers that check the TLP (max_tlp defaults to amber) fail every job at red");
        }
        return tlp;
    }

    private static String analyzerName(SectionReader cortex, String key, String defaultValue) {
        return cortex.optionalString(key).map(String::strip).orElse(defaultValue);
    }
}
