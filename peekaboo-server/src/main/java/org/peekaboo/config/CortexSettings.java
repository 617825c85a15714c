package org.peekaboo.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How Peekaboo reaches Cortex ({@code [cortex]} in analyzers.conf). Frozen after loading.
 *
 * @param url                    base URL of Cortex; a path prefix (reverse proxy) is kept
 * @param apiToken               the API key of a user with the roles read and analyze
 * @param tlp                    traffic light protocol level sent with every job, 0 (white) to 3 (red)
 * @param pollInterval           how often the status of all pending jobs is asked, in one request
 * @param submitOriginalFilename whether Cortex sees the declared file name or only the SHA-256
 * @param maxJobAge              a job not finished by then counts as failed (Cortex never resumes
 *                               jobs that were running when it restarted)
 * @param connectTimeout         how long to wait for a TCP connection
 * @param requestTimeout         how long one request may take from sending to the last byte of
 *                               the answer
 * @param retries                how often a request that failed transiently is repeated
 * @param maxFileSize            larger samples are not uploaded (Cortex rejects them with 413)
 * @param analyzers              the names of the analyzers in Cortex
 */
public record CortexSettings(URI url, Secret apiToken, int tlp, Duration pollInterval,
        boolean submitOriginalFilename, Duration maxJobAge, Duration connectTimeout, Duration requestTimeout,
        int retries, long maxFileSize, AnalyzerNames analyzers) {
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9001");
    public static final int DEFAULT_TLP = 2;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);
    public static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_JOB_AGE = Duration.ofSeconds(900);
    public static final Duration MIN_MAX_JOB_AGE = Duration.ofSeconds(1);
    public static final Duration MAX_MAX_JOB_AGE = Duration.ofDays(1);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration MIN_REQUEST_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_RETRIES = 3;
    public static final int MAX_RETRIES = 10;
    public static final long DEFAULT_MAX_FILE_SIZE = 10L * 1024 * 1024;
    public static final long MIN_MAX_FILE_SIZE = 1024;
    public static final long MAX_MAX_FILE_SIZE = 2L * 1024 * 1024 * 1024;

    public CortexSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiToken, "apiToken");
        Objects.requireNonNull(analyzers, "analyzers");
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
            throw new ConfigException("Cortex URL " + url + " is not an http or https URL with a host");
        }
        if (url.getQuery() != null || url.getFragment() != null) {
            throw new ConfigException("Cortex URL " + url + " must not have a query or fragment");
        }
        // One form, so that paths are joined the same way whether or not the operator wrote a trailing slash.
        url = URI.create(url.toString().replaceAll("/+$", ""));
        Checks.inRange("TLP", tlp, 0, 3);
        Checks.inRange("poll interval", pollInterval, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
        Checks.inRange("maximum job age", maxJobAge, MIN_MAX_JOB_AGE, MAX_MAX_JOB_AGE);
        Checks.inRange("connect timeout", connectTimeout, MIN_CONNECT_TIMEOUT, MAX_CONNECT_TIMEOUT);
        Checks.inRange("request timeout", requestTimeout, MIN_REQUEST_TIMEOUT, MAX_REQUEST_TIMEOUT);
        Checks.inRange("retries", retries, 0, MAX_RETRIES);
        Checks.inRange("maximum file size", maxFileSize, MIN_MAX_FILE_SIZE, MAX_MAX_FILE_SIZE);
    }

    /** Defaults for everything but where Cortex is and the key. */
    public static CortexSettings of(URI url, Secret apiToken) {
        return new CortexSettings(url, apiToken, DEFAULT_TLP, DEFAULT_POLL_INTERVAL, true, DEFAULT_MAX_JOB_AGE,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRIES, DEFAULT_MAX_FILE_SIZE,
                AnalyzerNames.defaults());
    }

    public CortexSettings withPollInterval(Duration interval) {
        return new CortexSettings(url, apiToken, tlp, interval, submitOriginalFilename, maxJobAge, connectTimeout,
                requestTimeout, retries, maxFileSize, analyzers);
    }

    public CortexSettings withTimeouts(Duration connect, Duration request, int retryCount) {
        return new CortexSettings(url, apiToken, tlp, pollInterval, submitOriginalFilename, maxJobAge, connect,
                request, retryCount, maxFileSize, analyzers);
    }

    public CortexSettings withMaxJobAge(Duration age) {
        return new CortexSettings(url, apiToken, tlp, pollInterval, submitOriginalFilename, age, connectTimeout,
                requestTimeout, retries, maxFileSize, analyzers);
    }

    public CortexSettings withMaxFileSize(long size) {
        return new CortexSettings(url, apiToken, tlp, pollInterval, submitOriginalFilename, maxJobAge, connectTimeout,
                requestTimeout, retries, size, analyzers);
    }

    /**
     * The names the Cortex organisation gave its analyzers. PeekabooAV hard-coded them; they are
     * free text in Cortex and change with every analyzer version, so they are settings here.
     */
    public record AnalyzerNames(String fileInfo, String virusTotal, String hybridAnalysis, String cuckooSandbox,
            String cape) {
        public static final String DEFAULT_FILE_INFO = "FileInfo_8_0";
        /** 3.0 (PeekabooAV's) is gone from the catalog; 3.1 reads the same taxonomy. */
        public static final String DEFAULT_VIRUS_TOTAL = "VirusTotal_GetReport_3_1";
        public static final String DEFAULT_HYBRID_ANALYSIS = "HybridAnalysis_GetReport_1_0";
        public static final String DEFAULT_CUCKOO_SANDBOX = "CuckooSandbox_File_Analysis_Inet_1_2";
        public static final String DEFAULT_CAPE = "CAPESandbox_File_Analysis_Inet_0_1";

        public AnalyzerNames {
            for (String name : new String[] {fileInfo, virusTotal, hybridAnalysis, cuckooSandbox, cape}) {
                if (name == null || name.isBlank()) {
                    throw new ConfigException("an analyzer name is empty");
                }
            }
        }

        public static AnalyzerNames defaults() {
            return new AnalyzerNames(DEFAULT_FILE_INFO, DEFAULT_VIRUS_TOTAL, DEFAULT_HYBRID_ANALYSIS,
                    DEFAULT_CUCKOO_SANDBOX, DEFAULT_CAPE);
        }
    }
}
