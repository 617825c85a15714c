package org.peekaboo.ruleset;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * {@code failed} when the sandbox run went wrong, so that the mail is held back rather than
 * passed on the strength of a broken analysis. A sandbox run that Cortex reports as failed
 * never gets here (fetching the report fails, and with it the rule); this rule looks into
 * the messages of a run that was reported: one containing a {@code failure} string fails
 * the sample; otherwise the run counts as completed. PeekabooAV also required a
 * {@code success} string among Cuckoo's server messages, which Cortex does not pass on; the
 * option is accepted, and a message containing it is named in the reason.
 */
public record CuckooAnalysisFailedRule(ReportSource<? extends BehaviouralReport> sandbox, List<String> failure,
                                       List<String> success) implements Rule {
    public static final String NAME = "cuckoo_analysis_failed";

    public CuckooAnalysisFailedRule {
        Objects.requireNonNull(sandbox, "sandbox");
        failure = List.copyOf(failure);
        success = List.copyOf(success);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        List<String> messages = context.report(sandbox).messages();
        Optional<String> failed = firstContaining(messages, failure);
        if (failed.isPresent()) {
            return RuleResult.stop(NAME, Result.FAILED,
                    "Behavioral analysis by the sandbox has produced an error and did not finish successfully: "
                            + failed.get());
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, firstContaining(messages, success)
                .map(message -> "Behavioral analysis by the sandbox completed successfully: " + message)
                .orElse("Behavioral analysis by the sandbox completed successfully"));
    }

    private static Optional<String> firstContaining(List<String> messages, List<String> needles) {
        return messages.stream().filter(message -> needles.stream().anyMatch(message::contains)).findFirst();
    }
}
