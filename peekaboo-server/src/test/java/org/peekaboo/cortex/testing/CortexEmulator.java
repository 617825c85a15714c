package org.peekaboo.cortex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process Cortex (the job and analyzer API of Cortex 3.1/4.x) for tests: API keys with
 * roles and organisations, analyzers found by name, file and hash jobs, the job life cycle on
 * the given clock, the polymorphic {@code report}, the job cache, per-analyzer rate limits,
 * the batch status endpoint, and faults injected per request. Every request is recorded.
 *
 * <p>Report templates come from {@code /cortex/reports/<template>.json}; {@code ${sha256}},
 * {@code ${sha1}} and {@code ${md5}} are replaced with the hashes of the submitted file (or the
 * submitted hash).
 */
public final class CortexEmulator implements AutoCloseable {
    public static final String ORGANISATION = "peekaboo";
    public static final String ANALYZE_KEY = "analyze-key-0123456789abcdefghijkl";
    public static final String READ_ONLY_KEY = "read-only-key-0123456789abcdefghij";
    public static final String OTHER_ORG_KEY = "other-org-key-0123456789abcdefghij";

    private static final Pattern ANALYZER = Pattern.compile("/api/analyzer/([^/]+)");
    private static final Pattern RUN = Pattern.compile("/api/analyzer/([^/]+)/run");
    private static final Pattern JOB = Pattern.compile("/api/job/([^/]+)(/report|/waitreport)?");
    private static final Pattern DURATION = Pattern.compile(
            "\\s*(\\d+)\\s*(ns|nanos?|nanoseconds?|ms|millis?|milliseconds?|s|seconds?|m|minutes?|h|hours?)\\s*");

    private final Clock clock;
    private final String prefix;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Analyzer> analyzers = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong jobCounter = new AtomicLong();
    private volatile long maxUpload = 10L * 1024 * 1024;

    private record User(String login, String organisation, Set<String> roles) {
    }

    private static final class FaultRule {
        final String method;
        final Pattern path;
        final Fault fault;
        int remaining;

        FaultRule(String method, Pattern path, Fault fault, int times) {
            this.method = method;
            this.path = path;
            this.fault = fault;
            this.remaining = times;
        }
    }

    /** What one analyzer does with the jobs it gets; tests change it freely. */
    public static final class Analyzer {
        final String name;
        final String organisation;
        volatile String id;
        final Set<String> dataTypes;
        volatile Duration waiting = Duration.ZERO;
        volatile Duration running = Duration.ZERO;
        volatile String template;
        volatile String failure;
        volatile Duration jobCache = Duration.ofMinutes(10);
        volatile int rate;
        volatile Duration rateUnit = Duration.ofMinutes(1);
        volatile int maxTlp = 3;

        Analyzer(String name, String organisation, String template, Set<String> dataTypes) {
            this.name = name;
            this.organisation = organisation;
            this.id = md5(organisation + "_" + name + "_analyzer");
            this.template = template;
            this.dataTypes = dataTypes;
        }

        /** How long jobs stay Waiting and then InProgress (e.g. days, for stuck jobs). */
        public Analyzer takes(Duration waitingFor, Duration runningFor) {
            this.waiting = waitingFor;
            this.running = runningFor;
            return this;
        }

        /** Jobs succeed with the report template of this name. */
        public Analyzer succeeds(String templateName) {
            this.template = templateName;
            this.failure = null;
            return this;
        }

        /** Jobs end as Failure with this errorMessage (may be empty). */
        public Analyzer fails(String errorMessage) {
            this.failure = errorMessage;
            return this;
        }

        /** The job cache window; zero disables it. */
        public Analyzer jobCache(Duration window) {
            this.jobCache = window;
            return this;
        }

        /** At most {@code jobs} new jobs per {@code unit}; more are refused with 429. */
        public Analyzer rateLimit(int jobs, Duration unit) {
            this.rate = jobs;
            this.rateUnit = unit;
            return this;
        }

        /** Jobs submitted with a higher TLP fail with "TLP is higher than allowed." */
        public Analyzer maxTlp(int tlp) {
            this.maxTlp = tlp;
            return this;
        }

        public String id() {
            return id;
        }
    }

    private final class Job {
        final String id;
        final Analyzer analyzer;
        final Instant created;
        final String dataType;
        final String data;
        final ObjectNode attachment;
        final int tlp;
        final String cacheTag;
        final Map<String, String> hashes;
        volatile boolean deleted;

        Job(String id, Analyzer analyzer, String dataType, String data, ObjectNode attachment, int tlp,
            String cacheTag, Map<String, String> hashes) {
            this.id = id;
            this.analyzer = analyzer;
            this.created = clock.instant();
            this.dataType = dataType;
            this.data = data;
            this.attachment = attachment;
            this.tlp = tlp;
            this.cacheTag = cacheTag;
            this.hashes = hashes;
        }

        Instant startDate() {
            return created.plus(analyzer.waiting);
        }

        Instant endDate() {
            return startDate().plus(analyzer.running);
        }

        String status() {
            Instant now = clock.instant();
            if (deleted) {
                return "Deleted";
            }
            if (now.isBefore(startDate())) {
                return "Waiting";
            }
            if (now.isBefore(endDate())) {
                return "InProgress";
            }
            return failureMessage() == null ? "Success" : "Failure";
        }

        String failureMessage() {
            if (tlp > analyzer.maxTlp) {
                return "TLP is higher than allowed.";
            }
            return analyzer.failure;
        }

        ObjectNode toJson(boolean withReport) {
            ObjectNode node = json.createObjectNode();
            node.put("id", id).put("_id", id).put("_type", "job").put("_routing", id).putNull("_parent");
            node.put("workerId", analyzer.id).put("workerName", analyzer.name)
                    .put("workerDefinitionId", analyzer.name).put("analyzerId", analyzer.id)
                    .put("analyzerName", analyzer.name).put("analyzerDefinitionId", analyzer.name)
                    .put("organization", analyzer.organisation);
            String status = status();
            node.put("status", status).put("dataType", dataType).put("tlp", tlp).put("pap", 2).put("message", "")
                    .put("type", "analyzer").put("cacheTag", cacheTag).put("createdBy", "peekaboo-analyze")
                    .put("createdAt", created.toEpochMilli()).put("date", created.toEpochMilli());
            node.putObject("parameters");
            if (attachment != null) {
                node.set("attachment", attachment);
            } else {
                node.put("data", data);
            }
            if (!status.equals("Waiting")) {
                node.put("startDate", startDate().toEpochMilli());
            }
            if (status.equals("Success") || status.equals("Failure")) {
                node.put("endDate", endDate().toEpochMilli());
            }
            if (status.equals("Failure")) {
                node.put("errorMessage", failureMessage());
            }
            if (withReport) {
                switch (status) {
                    case "Waiting" -> node.put("report", "Waiting");
                    case "InProgress" -> node.put("report", "Running");
                    case "Deleted" -> node.put("report", "Deleted");
                    case "Failure" -> node.putObject("report").put("errorMessage", failureMessage())
                            .put("input", "{\"dataType\":\"" + dataType + "\",\"config\":{\"key\":\"REMOVED\"}}")
                            .put("success", false);
                    default -> node.set("report", successReport(this));
                }
            }
            return node;
        }
    }

    /**
     * Starts on a free port of 127.0.0.1 with the three keys of this class and the five analyzers
     * Peekaboo knows under their default names, all succeeding at once.
     *
     * @param prefix a path prefix as a reverse proxy adds, e.g. {@code /cortex}, or {@code ""}
     */
    public static CortexEmulator start(Clock clock, String prefix) throws IOException {
        CortexEmulator emulator = new CortexEmulator(clock, prefix);
        emulator.addUser(ANALYZE_KEY, "peekaboo-analyze", ORGANISATION, Set.of("read", "analyze"));
        emulator.addUser(READ_ONLY_KEY, "peekaboo-read", ORGANISATION, Set.of("read"));
        emulator.addUser(OTHER_ORG_KEY, "other-analyze", "other", Set.of("read", "analyze"));
        emulator.addAnalyzer("FileInfo_8_0", "FileInfo", Set.of("file"));
        emulator.addAnalyzer("VirusTotal_GetReport_3_1", "VirusTotal", Set.of("file", "hash"));
        emulator.addAnalyzer("HybridAnalysis_GetReport_1_0", "HybridAnalysis", Set.of("file", "hash"));
        emulator.addAnalyzer("CuckooSandbox_File_Analysis_Inet_1_2", "CuckooSandbox", Set.of("file"));
        emulator.addAnalyzer("CAPESandbox_File_Analysis_Inet_0_1", "CAPESandbox", Set.of("file"));
        return emulator;
    }

    private CortexEmulator(Clock clock, String prefix) throws IOException {
        this.clock = clock;
        this.prefix = prefix;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext(prefix.isEmpty() ? "/" : prefix, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL, prefix included. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    public void addUser(String key, String login, String organisation, Set<String> roles) {
        users.put(key, new User(login, organisation, Set.copyOf(roles)));
    }

    public Analyzer addAnalyzer(String name, String template, Set<String> dataTypes) {
        return addAnalyzer(name, ORGANISATION, template, dataTypes);
    }

    public Analyzer addAnalyzer(String name, String organisation, String template, Set<String> dataTypes) {
        Analyzer analyzer = new Analyzer(name, organisation, template, dataTypes);
        analyzers.put(analyzer.id, analyzer);
        return analyzer;
    }

    /** The analyzer of the emulator's organisation with this name. */
    public Analyzer analyzer(String name) {
        return analyzers.values().stream()
                .filter(a -> a.name.equals(name) && a.organisation.equals(ORGANISATION))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no analyzer " + name));
    }

    /**
     * Gives the analyzer a new id, as when an org admin deletes it and enables another
     * definition under the same name: clients that cached the old id get 404 on run.
     */
    public void changeId(String name) {
        Analyzer analyzer = analyzer(name);
        analyzers.remove(analyzer.id);
        analyzer.id = md5(analyzer.organisation + "_" + name + "_analyzer_" + jobCounter.incrementAndGet());
        analyzers.put(analyzer.id, analyzer);
    }

    public void removeAnalyzer(String name) {
        analyzers.remove(analyzer(name).id);
    }

    /** Uploads larger than this are refused with 413, as Play's body parser does. */
    public void maxUpload(long bytes) {
        this.maxUpload = bytes;
    }

    /** The next {@code times} requests matching method and path (a regex below the prefix) show the fault. */
    public void inject(String method, String pathRegex, Fault fault, int times) {
        faults.add(new FaultRule(method, Pattern.compile(pathRegex), fault, times));
    }

    /** Forgets the faults not shown yet: the emulator answers normally again. */
    public void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    /** Deletes the job, as {@code DELETE /api/job/:id} does. */
    public void deleteJob(String id) {
        jobs.get(id).deleted = true;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requests(String method, String path) {
        return requests.stream().filter(request -> request.is(method, path)).toList();
    }

    public List<RecordedRequest> requests(Predicate<RecordedRequest> which) {
        return requests.stream().filter(which).toList();
    }

    /** Jobs created so far (cache hits create none). */
    public int jobsCreated() {
        return jobs.size();
    }

    /** The ids of the jobs created so far. */
    public Set<String> jobIds() {
        return Set.copyOf(jobs.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath().substring(prefix.length());
            String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
            long length = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Length"))
                    .map(Long::parseLong).orElse(-1L);
            if (length > maxUpload) {
                record(exchange, path, query, new byte[0]);
                send(exchange, 413, "application/json", "{\"type\":\"Unknown\",\"message\":\"Request Entity Too Large\"}",
                        null);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            RecordedRequest request = record(exchange, path, query, body);
            Optional<Fault> fault = takeFault(request);
            if (fault.isPresent()) {
                if (!showFault(exchange, request, fault.get())) {
                    return;
                }
            }
            Reply reply = route(request);
            if (fault.isPresent() && fault.get() instanceof Fault.Truncated) {
                String text = reply.body();
                send(exchange, 200, "application/json", text.substring(0, text.length() / 2), null);
            } else if (fault.isPresent() && fault.get() instanceof Fault.WrongContentType) {
                send(exchange, reply.status(), "text/plain", reply.body(), null);
            } else if (fault.isPresent() && fault.get() instanceof Fault.DropAfter) {
                // Closing the exchange without headers closes the connection.
                return;
            } else {
                send(exchange, reply.status(), reply.body() == null ? null : "application/json", reply.body(),
                        reply.total());
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "application/json", "{\"type\":\"InternalError\",\"message\":\""
                    + e.toString().replace("\"", "'") + "\"}", null);
        }
    }

    /** @return whether the request should still be handled */
    private boolean showFault(HttpExchange exchange, RecordedRequest request, Fault fault) throws IOException {
        switch (fault) {
            case Fault.Status status -> {
                send(exchange, status.status(), status.contentType(), status.body(), null, status.retryAfter());
                return false;
            }
            case Fault.DropBefore drop -> {
                return false;
            }
            case Fault.Slow slow -> {
                sleep(slow.delay());
                return true;
            }
            case Fault.Drip drip -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                Instant end = Instant.now().plus(drip.duration());
                out.write('[');
                while (Instant.now().isBefore(end)) {
                    out.write(' ');
                    out.flush();
                    sleep(Duration.ofMillis(50));
                }
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    private Optional<Fault> takeFault(RecordedRequest request) {
        synchronized (faults) {
            for (FaultRule rule : faults) {
                if (rule.remaining > 0 && rule.method.equals(request.method())
                        && rule.path.matcher(request.path()).matches()) {
                    rule.remaining--;
                    return Optional.of(rule.fault);
                }
            }
        }
        return Optional.empty();
    }

    private record Reply(int status, String body, Integer total) {
        static Reply of(int status, String body) {
            return new Reply(status, body, null);
        }
    }

    private Reply route(RecordedRequest request) {
        String method = request.method();
        String path = request.path();
        if (method.equals("GET") && path.equals("/api/status")) {
            return Reply.of(200, "{\"versions\":{\"Cortex\":\"3.1.8-1\",\"Elastic4Play\":\"1.13.6\",\"Play\":\"2.8.19\"},"
                    + "\"config\":{\"protectDownloadsWith\":\"malware\",\"authType\":[\"key\",\"local\"],"
                    + "\"capabilities\":[\"authByKey\",\"changePassword\",\"setPassword\"],\"ssoAutoLogin\":false}}");
        }
        String auth = request.header("Authorization").orElse("");
        User user = auth.startsWith("Bearer ") ? users.get(auth.substring("Bearer ".length())) : null;
        if (user == null) {
            return Reply.of(401, "{\"type\":\"AuthenticationError\",\"message\":\"Authentication failure\"}");
        }
        if (method.equals("GET") && path.equals("/api/user/current")) {
            ObjectNode node = json.createObjectNode().put("id", user.login()).put("_id", user.login())
                    .put("organization", user.organisation()).put("status", "Ok").put("name", user.login());
            user.roles().stream().sorted().forEach(node.putArray("roles")::add);
            return Reply.of(200, node.toString());
        }
        Matcher run = RUN.matcher(path);
        if (method.equals("POST") && run.matches()) {
            if (!user.roles().contains("analyze")) {
                return forbidden();
            }
            return run(user, run.group(1), request);
        }
        if (!user.roles().contains("read")) {
            return forbidden();
        }
        if ((method.equals("POST") && path.equals("/api/analyzer/_search")) || (method.equals("GET")
                && path.equals("/api/analyzer"))) {
            return searchAnalyzers(user, request);
        }
        Matcher analyzer = ANALYZER.matcher(path);
        if (method.equals("GET") && analyzer.matches()) {
            Analyzer found = analyzers.get(analyzer.group(1));
            return found == null || !found.organisation.equals(user.organisation())
                    ? notFound("worker " + analyzer.group(1) + " not found")
                    : Reply.of(200, analyzerJson(found).toString());
        }
        if (method.equals("POST") && path.equals("/api/job/status")) {
            return batchStatus(user, request);
        }
        Matcher job = JOB.matcher(path);
        if (job.matches()) {
            Job found = jobs.get(job.group(1));
            if (found == null || !found.analyzer.organisation.equals(user.organisation())) {
                return notFound("job " + job.group(1) + " not found");
            }
            if (method.equals("DELETE") && job.group(2) == null) {
                found.deleted = true;
                return Reply.of(204, null);
            }
            if (method.equals("GET") && "/waitreport".equals(job.group(2))) {
                return waitReport(found, request.query());
            }
            if (method.equals("GET")) {
                return Reply.of(200, found.toJson(job.group(2) != null).toString());
            }
        }
        return notFound("no route " + method + " " + path);
    }

    private Reply run(User user, String analyzerId, RecordedRequest request) {
        Analyzer analyzer = analyzers.get(analyzerId);
        if (analyzer == null || !analyzer.organisation.equals(user.organisation())) {
            return notFound("worker " + analyzerId + " not found");
        }
        JsonNode fields;
        byte[] file = null;
        RecordedRequest.Part filePart = null;
        try {
            if (!request.parts().isEmpty()) {
                fields = json.readTree(request.part("_json").map(RecordedRequest.Part::text).orElse("{}"));
                filePart = request.part("attachment").or(() -> request.part("data")
                        .filter(part -> part.fileName() != null)).orElse(null);
                file = filePart == null ? null : filePart.content();
            } else {
                fields = json.readTree(request.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8)
                        : request.body());
            }
        } catch (IOException e) {
            return Reply.of(400, "{\"type\":\"BadRequest\",\"message\":\"Invalid JSON\"}");
        }
        String dataType = fields.path("dataType").asText("");
        String data = fields.path("data").asText(null);
        if (dataType.isEmpty() || (file == null) == (data == null)) {
            return Reply.of(400, "{\"type\":\"AttributeCheckingError\",\"tableName\":\"job\",\"errors\":[{\"name\":"
                    + "\"job.data/attachment\",\"type\":\"MissingAttributeError\",\"message\":\"give either data or"
                    + " a file, and dataType\"}]}");
        }
        int tlp = fields.path("tlp").asInt(2);
        Map<String, String> hashes = hashes(file != null ? file : data.getBytes(StandardCharsets.UTF_8));
        if (file == null && data.matches("[0-9a-fA-F]{64}")) {
            hashes.put("sha256", data.toLowerCase(Locale.ROOT));
        }
        ObjectNode attachment = null;
        if (file != null) {
            attachment = json.createObjectNode().put("name", baseName(filePart.fileName()))
                    .put("size", file.length).put("contentType", Optional.ofNullable(filePart.contentType())
                            .orElse("application/octet-stream")).put("id", hashes.get("sha256"));
            attachment.putArray("hashes").add(hashes.get("sha256")).add(hashes.get("sha1")).add(hashes.get("md5"));
        }
        String cacheTag = md5(analyzer.id + "|" + dataType + "|" + tlp + "|"
                + (file != null ? hashes.get("sha256") : data) + "|{}");
        boolean force = fields.path("force").asBoolean(false) || request.query().matches("(^|.*&)force=(1|true)(&.*|$)");
        synchronized (jobs) {
            Instant now = clock.instant();
            if (!force && !analyzer.jobCache.isZero()) {
                Optional<Job> cached = jobs.values().stream()
                        .filter(job -> job.cacheTag.equals(cacheTag))
                        .filter(job -> !job.status().equals("Failure") && !job.status().equals("Deleted"))
                        .filter(job -> !job.startDate().isAfter(now)
                                && job.startDate().isAfter(now.minus(analyzer.jobCache)))
                        .max(java.util.Comparator.comparing((Job job) -> job.created));
                if (cached.isPresent()) {
                    return Reply.of(200, cached.get().toJson(false).put("fromCache", true).toString());
                }
            }
            if (analyzer.rate > 0) {
                long recent = jobs.values().stream().filter(job -> job.analyzer == analyzer)
                        .filter(job -> job.created.isAfter(now.minus(analyzer.rateUnit))).count();
                if (recent >= analyzer.rate) {
                    return Reply.of(429, "{\"type\":\"RateLimitExceeded\",\"message\":\"Rate limit of " + analyzer.rate
                            + " per " + analyzer.rateUnit + " reached for the analyzer " + analyzer.name
                            + ". Job cannot be started\"}");
                }
            }
            String id = "AWNe" + String.format("%016d", jobCounter.incrementAndGet());
            Job job = new Job(id, analyzer, dataType, file == null ? data : null, attachment, tlp, cacheTag, hashes);
            jobs.put(id, job);
            return Reply.of(200, job.toJson(false).toString());
        }
    }

    private Reply searchAnalyzers(User user, RecordedRequest request) {
        JsonNode body;
        try {
            body = request.body().length == 0 ? json.createObjectNode() : json.readTree(request.body());
        } catch (IOException e) {
            return Reply.of(400, "{\"type\":\"BadRequest\",\"message\":\"Invalid JSON\"}");
        }
        JsonNode query = body.path("query");
        String wanted = query.has("_field") && query.path("_field").asText().equals("name")
                ? query.path("_value").asText() : query.path("name").asText(null);
        List<Analyzer> found = analyzers.values().stream()
                .filter(a -> a.organisation.equals(user.organisation()))
                .filter(a -> wanted == null || a.name.equals(wanted))
                .sorted(java.util.Comparator.comparing(a -> a.name)).toList();
        String range = queryParameter(request.query(), "range").orElse(body.path("range").asText("0-10"));
        List<Analyzer> page = found;
        if (!range.equals("all")) {
            String[] bounds = range.split("-");
            int from = Integer.parseInt(bounds[0]);
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from + 10;
            page = found.subList(Math.min(from, found.size()), Math.min(to, found.size()));
        }
        ArrayNode array = json.createArrayNode();
        page.forEach(a -> array.add(analyzerJson(a)));
        return new Reply(200, array.toString(), found.size());
    }

    private Reply batchStatus(User user, RecordedRequest request) {
        JsonNode body;
        try {
            body = json.readTree(request.body());
        } catch (IOException e) {
            return Reply.of(400, "{\"type\":\"BadRequest\",\"message\":\"Invalid JSON\"}");
        }
        ObjectNode statuses = json.createObjectNode();
        for (JsonNode id : body.path("jobIds")) {
            Job job = jobs.get(id.asText());
            statuses.put(id.asText(), job == null || !job.analyzer.organisation.equals(user.organisation())
                    ? "NotFound" : job.status());
        }
        return Reply.of(200, statuses.toString());
    }

    /** Answers at once with the current state; only the parsing of atMost is Cortex's. */
    private Reply waitReport(Job job, String query) {
        String status = job.status();
        if (status.equals("Waiting") || status.equals("InProgress")) {
            String atMost = queryParameter(query, "atMost").orElse("1minute");
            if (atMost.equalsIgnoreCase("Inf")) {
                return Reply.of(500, "{\"type\":\"java.lang.ClassCastException\",\"message\":\"Infinite duration\"}");
            }
            if (!DURATION.matcher(atMost).matches()) {
                return Reply.of(400, "{\"type\":\"NumberFormatException\",\"message\":\"format error " + atMost + "\"}");
            }
        }
        return Reply.of(200, job.toJson(true).toString());
    }

    private ObjectNode successReport(Job job) {
        String text;
        try (InputStream in = CortexEmulator.class.getResourceAsStream("/cortex/reports/" + job.analyzer.template
                + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no report template " + job.analyzer.template);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> hash : job.hashes.entrySet()) {
            text = text.replace("${" + hash.getKey() + "}", hash.getValue());
        }
        try {
            ObjectNode report = (ObjectNode) json.readTree(text);
            report.put("success", true);
            report.putArray("operations");
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode analyzerJson(Analyzer analyzer) {
        ObjectNode node = json.createObjectNode();
        node.put("id", analyzer.id).put("_id", analyzer.id).put("_type", "worker")
                .put("_parent", analyzer.organisation).put("_routing", analyzer.organisation)
                .put("name", analyzer.name).put("version", "1.0").put("workerDefinitionId", analyzer.name)
                .put("analyzerDefinitionId", analyzer.name).put("description", "emulated " + analyzer.name)
                .put("author", "Peekaboo tests").put("license", "AGPL-V3").put("type", "analyzer")
                .put("dockerImage", "cortexneurons/" + analyzer.name.toLowerCase(Locale.ROOT))
                .put("jobCache", analyzer.jobCache.toMinutes()).put("createdBy", "admin")
                .put("createdAt", 1_700_000_000_000L);
        analyzer.dataTypes.stream().sorted().forEach(node.putArray("dataTypeList")::add);
        if (analyzer.rate > 0) {
            node.put("rate", analyzer.rate).put("rateUnit", "Minute");
        }
        return node;
    }

    private Reply forbidden() {
        return Reply.of(403, "{\"type\":\"AuthorizationError\",\"message\":\"Insufficient rights to perform this action\"}");
    }

    private Reply notFound(String message) {
        return Reply.of(404, "{\"type\":\"NotFoundError\",\"message\":\"" + message + "\"}");
    }

    private RecordedRequest record(HttpExchange exchange, String path, String query, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        List<RecordedRequest.Part> parts = contentType != null && contentType.startsWith("multipart/form-data")
                ? Multipart.parse(contentType, body) : List.of();
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), path, query,
                Collections.unmodifiableMap(headers), body, parts);
        requests.add(request);
        return request;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body, Integer total)
            throws IOException {
        send(exchange, status, contentType, body, total, null);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body, Integer total,
                             String retryAfter) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (total != null) {
            exchange.getResponseHeaders().set("X-Total", total.toString());
        }
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static Optional<String> queryParameter(String query, String name) {
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String baseName(String fileName) {
        if (fileName == null) {
            return "attachment";
        }
        return fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    }

    private static Map<String, String> hashes(byte[] content) {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("sha256", digest("SHA-256", content));
        hashes.put("sha1", digest("SHA-1", content));
        hashes.put("md5", digest("MD5", content));
        return hashes;
    }

    static String md5(String text) {
        return digest("MD5", text.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
