package org.peekaboo.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status as one JSON object, as the daemon sends it and {@code peekaboo status --json}
 * prints it: times as ISO-8601 UTC instants, durations in milliseconds, absent values left out.
 */
public final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    public static ObjectNode toJson(DaemonStatus status) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", status.version());
        root.put("instance", status.instanceId());
        root.put("health", status.health().name().toLowerCase(java.util.Locale.ROOT));
        root.put("at", status.at().toString());
        root.put("started_at", status.startedAt().toString());
        root.put("uptime_ms", status.uptime().toMillis());
        ArrayNode listeners = root.putArray("listeners");
        for (DaemonStatus.Listener listener : status.listeners()) {
            ObjectNode node = listeners.addObject().put("front_end", listener.frontEnd()).put("address", listener.address());
            listener.profile().ifPresent(profile -> node.put("profile", profile));
        }
        DaemonStatus.Database database = status.database();
        ObjectNode db = root.putObject("database").put("kind", database.kind()).put("url", database.url())
                .put("available", database.available());
        database.unavailableSince().ifPresent(since -> db.put("unavailable_since", since.toString()));
        database.diagnosis().ifPresent(diagnosis -> db.put("diagnosis", diagnosis));
        DaemonStatus.Cortex cortex = status.cortex();
        ObjectNode cx = root.putObject("cortex").put("configured", cortex.configured());
        cortex.url().ifPresent(url -> cx.put("url", url));
        cx.put("failing", cortex.failing());
        cortex.failingSince().ifPresent(since -> cx.put("failing_since", since.toString()));
        cortex.lastError().ifPresent(error -> cx.put("last_error", error));
        DaemonStatus.Engine engine = status.engine();
        root.putObject("engine").put("queued", engine.queued()).put("waiting_for_other_instances",
                        engine.waitingForOthers()).put("in_flight", engine.inFlight())
                .put("oldest_in_flight_ms", engine.oldestInFlight().toMillis());
        status.cluster().ifPresent(cluster -> {
            ObjectNode node = root.putObject("cluster");
            ArrayNode instances = node.putArray("instances");
            for (DaemonStatus.Instance instance : cluster.instances()) {
                instances.addObject().put("id", instance.id()).put("locks", instance.locks())
                        .put("newest_lock", instance.newestLock().toString());
            }
            cluster.error().ifPresent(error -> node.put("error", error));
        });
        return root;
    }

    /**
     * The status {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static DaemonStatus fromJson(JsonNode root) {
        List<DaemonStatus.Listener> listeners = new ArrayList<>();
        for (JsonNode listener : array(root, "listeners")) {
            listeners.add(new DaemonStatus.Listener(text(listener, "front_end"), text(listener, "address"),
                    optionalText(listener, "profile")));
        }
        JsonNode db = object(root, "database");
        JsonNode cx = object(root, "cortex");
        JsonNode engine = object(root, "engine");
        Optional<DaemonStatus.Cluster> cluster = Optional.empty();
        if (root.hasNonNull("cluster")) {
            JsonNode node = root.get("cluster");
            List<DaemonStatus.Instance> instances = new ArrayList<>();
            for (JsonNode instance : array(node, "instances")) {
                instances.add(new DaemonStatus.Instance(text(instance, "id"), number(instance, "locks"),
                        instant(instance, "newest_lock")));
            }
            cluster = Optional.of(new DaemonStatus.Cluster(instances, optionalText(node, "error")));
        }
        return new DaemonStatus(text(root, "version"), text(root, "instance"), instant(root, "at"),
                instant(root, "started_at"), listeners,
                new DaemonStatus.Database(text(db, "kind"), text(db, "url"), optionalInstant(db, "unavailable_since"),
                        optionalText(db, "diagnosis")),
                new DaemonStatus.Cortex(optionalText(cx, "url"), optionalInstant(cx, "failing_since"),
                        optionalText(cx, "last_error")),
                new DaemonStatus.Engine((int) number(engine, "queued"), (int) number(engine, "waiting_for_other_instances"),
                        (int) number(engine, "in_flight"), Duration.ofMillis(number(engine, "oldest_in_flight_ms"))),
                cluster);
    }

    /** The status as one line of JSON. */
    public static String line(DaemonStatus status) {
        return write(toJson(status));
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Parses one line of JSON; {@link IllegalArgumentException} if it is none. */
    public static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode object(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException("status without object \"" + key + "\"");
        }
        return value;
    }

    private static JsonNode array(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("status without array \"" + key + "\"");
        }
        return value;
    }

    private static String text(JsonNode node, String key) {
        return optionalText(node, key).orElseThrow(() -> new IllegalArgumentException(
                "status without text \"" + key + "\""));
    }

    private static Optional<String> optionalText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    private static long number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("status without number \"" + key + "\"");
        }
        return value.longValue();
    }

    private static Instant instant(JsonNode node, String key) {
        return optionalInstant(node, key).orElseThrow(() -> new IllegalArgumentException(
                "status without time \"" + key + "\""));
    }

    private static Optional<Instant> optionalInstant(JsonNode node, String key) {
        try {
            return optionalText(node, key).map(Instant::parse);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("status with malformed time \"" + key + "\": " + e.getMessage(), e);
        }
    }
}
