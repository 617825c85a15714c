package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import org.peekaboo.sample.FileTypeReport;

/**
 * The detected file types as expressions see them ({@code filereport.type_by_content}, …);
 * see {@link org.peekaboo.sample.TikaFileTypeDetector} for where they come from.
 */
public record FileTypesReport(FileTypeReport types) implements ReportObject {
    public static final String NAME = "filereport";

    private static final AttributeTable<FileTypesReport> ATTRIBUTES = AttributeTable.<FileTypesReport>builder(NAME)
            .with("type_by_content", report -> report.types.typeByContent())
            .with("type_by_name", report -> report.types.typeByName())
            .with("type_as_text", report -> report.types.typeAsText())
            .with("mime_types", report -> report.types.mimeTypes())
            .build();

    public FileTypesReport {
        Objects.requireNonNull(types, "types");
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES.names();
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return ATTRIBUTES.get(this, name);
    }

    /** The {@code filereport} identifier; the types are detected once per sample (see {@link SampleContext}). */
    public record Source() implements ReportSource<FileTypesReport> {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public FileTypesReport compute(SampleContext context) throws IOException {
            return new FileTypesReport(context.fileTypes());
        }

        @Override
        public ReportShape shape() {
            return ATTRIBUTES.shape();
        }
    }
}
