package org.peekaboo.ruleset;

import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.peekaboo.sample.Sample;

/**
 * The sample itself as expressions see it ({@code sample.file_size}, …): what the mail
 * declared about it, its size, hash and identity. Unlike PeekabooAV, which exposes every
 * attribute of its sample object, only these are offered; its {@code sha256sum} and
 * {@code identity} work here.
 */
public record SampleReport(Sample sample, LongSupplier jobId) implements ReportObject {
    public static final String NAME = "sample";

    private static final AttributeTable<SampleReport> ATTRIBUTES = AttributeTable.<SampleReport>builder(NAME)
            .with("name_declared", report -> report.sample.nameDeclared())
            .with("filename", report -> report.sample.nameDeclared())
            .with("type_declared", report -> report.sample.typeDeclared())
            .with("content_disposition", report -> report.sample.contentDisposition())
            .with("file_extension", report -> report.sample.fileExtension())
            .with("file_size", report -> report.sample.size())
            .with("sha256sum", report -> report.sample.sha256())
            .with("identity", report -> report.sample.identity())
            // Asked for only when an expression names it: the analysis is then recorded at once.
            .with("id", report -> report.jobId.getAsLong())
            .build();

    public SampleReport {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES.names();
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return ATTRIBUTES.get(this, name);
    }

    /** The {@code sample} identifier. */
    public record Source() implements ReportSource<SampleReport> {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public SampleReport compute(SampleContext context) {
            return new SampleReport(context.sample(), context::jobId);
        }

        @Override
        public ReportShape shape() {
            return ATTRIBUTES.shape();
        }
    }
}
