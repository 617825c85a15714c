package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * {@code cortexreport.FileInfoReport}: FileInfo's "Basic properties". Reports with further
 * submodules (Oletools, PE, PDF, …) are read too, unlike PeekabooAV's schema that refused them.
 *
 * @param filetype exiftool's short type ({@code DOC}, {@code PDF}, {@code Win32 EXE}, …)
 * @param mimetype libmagic's MIME type, with its charset parameter
 */
public record FileInfoReport(String sha256sum, String md5sum, String sha1sum, String ssdeepsum, String filetype,
                             String mimetype, Artifacts artifacts) implements AnalyzerReport {
    static final String NAME = "FileInfoReport";
    public static final Set<String> ATTRIBUTES = Artifacts.with("sha256sum", "md5sum", "sha1sum", "ssdeepsum",
            "filetype", "mimetype");

    static FileInfoReport from(JsonNode report) {
        JsonNode hashes = null;
        JsonNode info = null;
        for (JsonNode submodule : report.path("full").path("results")) {
            if (!"Basic properties".equals(submodule.path("submodule_name").asText())) {
                continue;
            }
            // A submodule that failed has its error text as "results"; iterating a string yields nothing.
            for (JsonNode section : submodule.path("results")) {
                switch (section.path("submodule_section_header").asText()) {
                    case "Hashes" -> hashes = section.path("submodule_section_content");
                    case "File information" -> info = section.path("submodule_section_content");
                    default -> {
                    }
                }
            }
        }
        return new FileInfoReport(text(hashes, "sha256"), text(hashes, "md5"), text(hashes, "sha1"),
                text(hashes, "ssdeep"), text(info, "Filetype"), text(info, "MimeType"), Artifacts.from(report));
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return switch (name) {
            case "sha256sum" -> sha256sum;
            case "md5sum" -> md5sum;
            case "sha1sum" -> sha1sum;
            case "ssdeepsum" -> ssdeepsum;
            case "filetype" -> filetype;
            case "mimetype" -> mimetype;
            default -> artifacts.attribute(NAME, name);
        };
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
