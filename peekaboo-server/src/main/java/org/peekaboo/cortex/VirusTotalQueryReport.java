package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cortexreport.VirusTotalQueryReport}, from the VT taxonomy that VirusTotal_GetReport
 * 3.0 and 3.1 both write ({@code "<detections>/<engines>"}); 3.1's further VT taxonomies
 * ("N contacted domain(s)") are skipped.
 *
 * @param n_of_all the number of engines that detected the sample, −1 if the report has none
 * @param level    the taxonomy's level ({@code info}, {@code safe}, {@code suspicious},
 *                 {@code malicious}), or null
 */
public record VirusTotalQueryReport(long n_of_all, String level, Artifacts artifacts) implements AnalyzerReport {
    static final String NAME = "VirusTotalQueryReport";
    public static final Set<String> ATTRIBUTES = Artifacts.with("n_of_all", "level");
    private static final Pattern RATIO = Pattern.compile("\\s*(\\d+)\\s*/\\s*\\d+\\s*");

    static VirusTotalQueryReport from(JsonNode report) {
        List<Taxonomy> taxonomies = Taxonomy.from(report);
        Optional<Taxonomy> vt = Taxonomy.find(taxonomies, "VT", "GetReport")
                .or(() -> taxonomies.stream()
                        .filter(t -> "VT".equalsIgnoreCase(t.namespace()) && t.value() != null
                                && RATIO.matcher(t.value()).matches())
                        .findFirst());
        long detections = vt.map(Taxonomy::value).map(RATIO::matcher).filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1))).orElse(-1L);
        return new VirusTotalQueryReport(detections, vt.map(Taxonomy::level).orElse(null), Artifacts.from(report));
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return switch (name) {
            case "n_of_all" -> n_of_all;
            case "level" -> level;
            default -> artifacts.attribute(NAME, name);
        };
    }
}
