package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * {@code cortexreport.HybridAnalysisReport}: the analyzer's {@code full} for free use in
 * expressions, plus the worst verdict and the highest threat score of the analyses found.
 *
 * @param full         {@code full} as objects, lists, strings and numbers, or null
 * @param verdict      {@code malicious}, {@code suspicious}, {@code no specific threat},
 *                     {@code whitelisted}, or null if Hybrid Analysis knows the sample not
 * @param threat_score the highest {@code threat_score}, −1 if none
 */
public record HybridAnalysisReport(Object full, String verdict, long threat_score, Artifacts artifacts)
        implements AnalyzerReport {
    static final String NAME = "HybridAnalysisReport";
    public static final Set<String> ATTRIBUTES = Artifacts.with("full", "verdict", "threat_score");
    /** {@code full} is the analyzer's JSON as it is; its fields differ between Hybrid Analysis versions. */
    static final Set<String> FREE_FORM = Set.of("full");
    private static final List<String> VERDICTS = List.of("whitelisted", "no specific threat", "suspicious",
            "malicious");

    static HybridAnalysisReport from(JsonNode report) {
        JsonNode full = report.path("full");
        JsonNode results = full.path("results");
        // For a hash or file the search answers a list; for names and URLs {"result": [...]}.
        if (results.isObject()) {
            results = results.path("result");
        }
        String verdict = null;
        long score = -1;
        for (JsonNode analysis : results) {
            String candidate = analysis.path("verdict").asText(null);
            if (candidate != null && VERDICTS.indexOf(candidate) > (verdict == null ? -1 : VERDICTS.indexOf(verdict))) {
                verdict = candidate;
            }
            if (analysis.path("threat_score").canConvertToLong()) {
                score = Math.max(score, analysis.path("threat_score").asLong());
            }
        }
        return new HybridAnalysisReport(JsonReportObject.valueOf("cortexreport." + NAME + ".full", full), verdict,
                score, Artifacts.from(report));
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return switch (name) {
            case "full" -> full;
            case "verdict" -> verdict;
            case "threat_score" -> threat_score;
            default -> artifacts.attribute(NAME, name);
        };
    }
}
