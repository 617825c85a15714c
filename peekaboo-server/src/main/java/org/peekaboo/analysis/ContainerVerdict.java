package org.peekaboo.analysis;

import java.util.ArrayList;
import java.util.List;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Finding;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Verdict;

/**
 * The verdict of a container: the worst of its own, of what kept it from being opened completely,
 * and of its members'. "Worst" is what the mail filter is told ({@code bad} over {@code unchecked}
 * over {@code good}; see {@link #worse}), not PeekabooAV's order of results, in which
 * {@code unchecked} is the mildest: a member still undecided must hold the mail back, never let it
 * pass because the container itself looked harmless.
 */
final class ContainerVerdict {
    /** The pseudo rule under which what happened while opening a container is reported. */
    static final String RULE = "expansion";

    private ContainerVerdict() {
    }

    /** {@code own} with one rule result per finding appended to its report, the worst of them deciding. */
    static SampleVerdict withFindings(SampleVerdict own, List<Finding> findings, ExpansionSettings settings) {
        if (findings.isEmpty()) {
            return own;
        }
        List<RuleResult> report = new ArrayList<>(own.report());
        SampleVerdict verdict = own;
        for (Finding finding : findings) {
            RuleResult result = RuleResult.stop(RULE, resultOf(finding, settings), reasonOf(finding));
            report.add(result);
            if (worse(result.result(), verdict.result())) {
                verdict = new SampleVerdict(result.result(), result.rule(), result.reason(), List.of(), own.jobId());
            }
        }
        return new SampleVerdict(verdict.result(), verdict.rule(), verdict.reason(), report, own.jobId());
    }

    /** The judged container: its verdict is the worst of {@code own} and its members'. */
    static JudgedSample of(Sample container, SampleVerdict own, List<JudgedSample> members) {
        SampleVerdict verdict = own;
        String deciding = null;
        for (JudgedSample member : members) {
            if (worse(member.verdict().result(), verdict.result())) {
                verdict = member.verdict();
                deciding = member.decidingMember() != null ? member.decidingMember() : member.sample().declaredPath();
            }
        }
        if (deciding == null) {
            return new JudgedSample(container, own, members, null);
        }
        // A member's reason names the member; one decided deeper down already names it.
        String reason = member(members, deciding) ? "member \"" + deciding + "\": " + verdict.reason() : verdict.reason();
        return new JudgedSample(container, new SampleVerdict(verdict.result(), verdict.rule(), reason, own.report(),
                own.jobId()), members, deciding);
    }

    private static boolean member(List<JudgedSample> members, String path) {
        return members.stream().anyMatch(m -> m.decidingMember() == null && path.equals(m.sample().declaredPath()));
    }

    /**
     * Whether {@code candidate} tells the client something worse than {@code current}: a verdict further
     * from passing, or among undecided ones {@code failed} over {@code unchecked}. Among results that
     * pass, the container's own rules keep the word.
     */
    static boolean worse(Result candidate, Result current) {
        Verdict candidateVerdict = Verdict.of(candidate);
        int byVerdict = candidateVerdict.compareTo(Verdict.of(current));
        return byVerdict > 0 || byVerdict == 0 && candidateVerdict != Verdict.GOOD && candidate.isWorseThan(current);
    }

    private static Result resultOf(Finding finding, ExpansionSettings settings) {
        return switch (finding.kind()) {
            case DEPTH, MEMBERS, SIZE, RATIO -> settings.limitResult();
            // Unpacking took long on a busy machine; the retry may find the members already judged.
            case TIME -> Result.UNCHECKED;
            case ENCRYPTED -> settings.encryptedResult();
            case UNREADABLE -> settings.unreadableResult();
            case UNSUPPORTED -> settings.unsupportedResult();
        };
    }

    private static String reasonOf(Finding finding) {
        return switch (finding.kind()) {
            case DEPTH, MEMBERS, SIZE, RATIO, TIME -> "The container was not opened completely: " + finding.detail();
            case ENCRYPTED -> "Encrypted content could not be opened: " + finding.detail();
            case UNREADABLE -> "The container is damaged or cannot be read: " + finding.detail();
            case UNSUPPORTED -> "Content packed in a method Peekaboo cannot unpack was not judged: " + finding.detail();
        };
    }
}
