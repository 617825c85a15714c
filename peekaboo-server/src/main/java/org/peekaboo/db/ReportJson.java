package org.peekaboo.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * The per-rule report as stored: a JSON array of
 * {@code {"rule": …, "result": <label>, "reason": …, "further_analysis": true|false}}.
 * Thread-safe.
 */
final class ReportJson {
    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {
    };

    // Unknown fields are tolerated so that a newer Peekaboo's reports stay readable. Reports are
    // written on the samples' virtual threads, where Jackson's default buffers (one set per
    // thread) would be allocated anew for every sample: a pool shared by all threads instead.
    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private record Entry(@JsonProperty("rule") String rule,
                         @JsonProperty("result") String result,
                         @JsonProperty("reason") String reason,
                         @JsonProperty("further_analysis") boolean furtherAnalysis) {
    }

    /** Writes the report, each reason passed through {@code shortenReason} first. */
    String write(List<RuleResult> report, UnaryOperator<String> shortenReason) {
        List<Entry> entries = new ArrayList<>(report.size());
        for (RuleResult ruleResult : report) {
            entries.add(new Entry(ruleResult.rule(), ruleResult.result().label(),
                    shortenReason.apply(ruleResult.reason()), ruleResult.furtherAnalysis()));
        }
        try {
            return mapper.writeValueAsString(entries);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write report as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a stored report.
     *
     * @throws IllegalArgumentException when the text is not a report; the message says why
     */
    List<RuleResult> read(String json) {
        List<Entry> entries;
        try {
            entries = mapper.readValue(json, ENTRIES);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("report is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (entries == null) {
            throw new IllegalArgumentException("report is JSON null instead of an array");
        }
        List<RuleResult> report = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry == null || entry.rule() == null || entry.reason() == null) {
                throw new IllegalArgumentException("report entry " + i + " lacks rule or reason");
            }
            Result result = Result.parse(entry.result()).orElseThrow(() -> new IllegalArgumentException(
                    "report entry " + entry.rule() + " has unknown result '" + entry.result() + "'"));
            report.add(new RuleResult(entry.rule(), result, entry.reason(), entry.furtherAnalysis()));
        }
        return report;
    }
}
