package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;

/**
 * What the CuckooSandbox and CAPE analyzers report about a detonated sample. Both write the
 * same {@code full}: lower-case {@code signatures} (PeekabooAV read {@code Signatures} and so
 * never saw them), {@code malscore}, {@code malfamily} and {@code domains} as [ip, domain] pairs.
 *
 * @param malscore   the score (0–10, may exceed 10), −1 if the report has none
 * @param signatures descriptions of the signatures that matched
 * @param malfamily  the malware family, or null
 * @param domains    the domains the sample resolved
 */
public record SandboxFindings(double malscore, List<String> signatures, String malfamily, List<String> domains) {
    static final Set<String> ATTRIBUTES = Artifacts.with("malscore", "signatures", "malfamily", "domains");

    public SandboxFindings {
        signatures = List.copyOf(signatures);
        domains = List.copyOf(domains);
    }

    static SandboxFindings from(JsonNode report) {
        JsonNode full = report.path("full");
        List<Taxonomy> taxonomies = Taxonomy.from(report);
        double malscore = malscore(full, taxonomies);
        List<String> signatures = new ArrayList<>();
        for (JsonNode signature : full.path("signatures")) {
            // Strings from the Cortex analyzer; objects if an analyzer passes CAPE's entries through.
            String text = signature.isTextual() ? signature.asText()
                    : signature.path("description").asText(signature.path("name").asText(null));
            if (text != null) {
                signatures.add(text);
            }
        }
        List<String> domains = new ArrayList<>();
        for (JsonNode entry : full.path("domains")) {
            JsonNode domain = entry.isArray() ? entry.path(entry.size() - 1) : entry.path("domain");
            if (domain.isTextual()) {
                domains.add(domain.asText());
            }
        }
        JsonNode family = full.path("malfamily");
        String malfamily = family.isTextual() ? family.asText()
                : Taxonomy.find(taxonomies, "Cuckoo", "Malfamily").map(Taxonomy::value)
                        .filter(value -> !value.equals("None")).orElse(null);
        return new SandboxFindings(malscore, signatures, malfamily, domains);
    }

    /** The Malscore taxonomy as PeekabooAV read it, else {@code full.malscore} (the summary may be {}). */
    private static double malscore(JsonNode full, List<Taxonomy> taxonomies) {
        Optional<Double> fromTaxonomy = taxonomies.stream()
                .filter(t -> "Malscore".equalsIgnoreCase(t.predicate()) && t.value() != null)
                .map(t -> parse(t.value())).flatMap(Optional::stream).findFirst();
        if (fromTaxonomy.isPresent()) {
            return fromTaxonomy.get();
        }
        JsonNode score = full.path("malscore");
        return score.isNumber() ? score.doubleValue() : parse(score.asText("")).orElse(-1.0);
    }

    private static Optional<Double> parse(String value) {
        try {
            double parsed = Double.parseDouble(value.strip());
            return Double.isFinite(parsed) ? Optional.of(parsed) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    Object attribute(String report, String name, Artifacts artifacts) throws UnknownAttributeException {
        return switch (name) {
            case "malscore" -> malscore;
            case "signatures" -> signatures;
            case "malfamily" -> malfamily;
            case "domains" -> domains;
            default -> artifacts.attribute(report, name);
        };
    }
}
