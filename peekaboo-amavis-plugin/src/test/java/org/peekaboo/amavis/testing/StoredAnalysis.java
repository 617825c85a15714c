package org.peekaboo.amavis.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** One row of Peekaboo's analysis table, as far as the tests look at it. */
public record StoredAnalysis(long jobId, String nameDeclared, String typeDeclared, String contentDisposition,
                             String state, String result, String reason, String report) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The rules that ran, in order, from the stored report. */
    public List<String> rules() {
        if (report == null) {
            return List.of();
        }
        try {
            List<String> rules = new ArrayList<>();
            for (JsonNode entry : JSON.readTree(report)) {
                rules.add(entry.path("rule").asText());
            }
            return rules;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("analysis " + jobId + " has a report that is not JSON: " + report, e);
        }
    }
}
