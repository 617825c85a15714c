package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;

/**
 * The observables a report's {@code artifacts} name, by data type. Only string data counts:
 * file artifacts carry an attachment instead and are left out, as in PeekabooAV.
 */
public record Artifacts(List<String> domains, List<String> hashes, List<String> ips) {
    static final List<String> ATTRIBUTES = List.of("domain_artifacts", "hash_artifacts", "ip_artifacts");

    public Artifacts {
        domains = List.copyOf(domains);
        hashes = List.copyOf(hashes);
        ips = List.copyOf(ips);
    }

    static Artifacts from(JsonNode report) {
        List<String> domains = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (JsonNode artifact : report.path("artifacts")) {
            JsonNode data = artifact.path("data");
            if (!data.isTextual()) {
                continue;
            }
            switch (artifact.path("dataType").asText("")) {
                case "domain", "fqdn" -> domains.add(data.asText());
                case "hash" -> hashes.add(data.asText());
                case "ip" -> ips.add(data.asText());
                default -> {
                    // url, mail, filename, … have no attribute in PeekabooAV's rules either.
                }
            }
        }
        return new Artifacts(domains, hashes, ips);
    }

    /** The artifact attribute {@code name}, for the report called {@code report}. */
    Object attribute(String report, String name) throws UnknownAttributeException {
        return switch (name) {
            case "domain_artifacts" -> domains;
            case "hash_artifacts" -> hashes;
            case "ip_artifacts" -> ips;
            default -> throw new UnknownAttributeException("cortexreport." + report, name);
        };
    }

    /**
     * The report's own attribute names plus the three artifact lists, in that order: start-up
     * errors list them as the documentation does.
     */
    static Set<String> with(String... own) {
        LinkedHashSet<String> names = new LinkedHashSet<>(List.of(own));
        names.addAll(ATTRIBUTES);
        return Collections.unmodifiableSequencedSet(names);
    }
}
