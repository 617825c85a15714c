package org.peekaboo.ruleset;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * PeekabooAV's {@code cuckooreport} for expressions, read from the sandbox report Cortex
 * returns ({@code cortexreport.CuckooSandboxFileReport}) instead of from Cuckoo itself, so
 * that PeekabooAV rulesets keep their expressions. The attributes keep PeekabooAV's names:
 * <ul>
 *   <li>{@code requested_domains}: the domains the sandbox saw the sample look up or contact;</li>
 *   <li>{@code signature_descriptions}: the descriptions of the signatures that matched;</li>
 *   <li>{@code score}: the sandbox's score, None when it gave none (PeekabooAV read a missing
 *       score as 0, which would let {@code cuckooreport.score < 1 -> good} pass an unscored run);</li>
 *   <li>{@code errors}: empty, and {@code server_messages}: the report's {@link
 *       BehaviouralReport#messages() messages}, which are empty too, because Cortex does not pass
 *       Cuckoo's log on; a run that failed fails the Cortex job, and with it the expression;</li>
 *   <li>{@code url}: None, because Cortex does not tell where the sandbox keeps its report.</li>
 * </ul>
 */
public record CuckooReport(BehaviouralReport sandbox) implements ReportObject {
    public static final String NAME = "cuckooreport";
    public static final Set<String> ATTRIBUTES = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of("requested_domains",
            "signature_descriptions", "score", "errors", "server_messages", "url")));
    static final ReportShape SHAPE = ReportShape.reportOf(ATTRIBUTES);

    public CuckooReport {
        Objects.requireNonNull(sandbox, "sandbox");
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return switch (name) {
            case "requested_domains" -> sandbox.requestedDomains();
            case "signature_descriptions" -> sandbox.signatureDescriptions();
            case "score" -> sandbox.score().isPresent() ? (Object) sandbox.score().getAsDouble() : null;
            case "errors" -> List.of();
            case "server_messages" -> sandbox.messages();
            case "url" -> null;
            default -> throw new UnknownAttributeException(NAME, name);
        };
    }

    /** Computes {@code cuckooreport} from the sandbox report the sandbox rules read too: one sandbox run per sample. */
    public record Source(ReportSource<? extends BehaviouralReport> sandbox) implements ReportSource<CuckooReport> {
        public Source {
            Objects.requireNonNull(sandbox, "sandbox");
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public CuckooReport compute(SampleContext context) throws Exception {
            return new CuckooReport(context.report(sandbox));
        }

        @Override
        public ReportShape shape() {
            return SHAPE;
        }
    }
}
