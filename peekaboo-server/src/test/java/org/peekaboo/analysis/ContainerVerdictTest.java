package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Finding;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;

class ContainerVerdictTest {
    private final Sample zip = Sample.of(TestContents.of("PK".getBytes()),
            new SampleDeclaration("/tmp/p002", "invoice.zip", "application/zip", "attachment"));
    private final SampleVerdict unknown = SampleVerdict.of(
            List.of(RuleResult.stop("final_rule", Result.UNKNOWN, "File is not bad")), 7);

    @Test
    void aMemberStillUndecidedHoldsTheContainerBack() {
        Sample member = zip.member(TestContents.of("x".getBytes()), 1, "docs/a.docm", null, null);
        JudgedSample judged = ContainerVerdict.of(zip, unknown,
                List.of(new JudgedSample(member, Undecided.DEADLINE.verdict("60 s"))));
        assertThat(judged.verdict().result()).isEqualTo(Result.UNCHECKED);
        assertThat(judged.verdict().rule()).isEqualTo("deadline");
        assertThat(judged.verdict().reason()).startsWith("member \"invoice.zip/docs/a.docm\": Analysis is still");
        assertThat(judged.verdict().report()).isEqualTo(unknown.report());
        assertThat(judged.verdict().jobId()).isEqualTo(7);
        assertThat(judged.decidingMember()).isEqualTo("invoice.zip/docs/a.docm");
    }

    @Test
    void aBadMemberMakesTheContainerBadAndItsChainIsNamedOnce() {
        Sample inner = zip.member(TestContents.of("PK".getBytes()), 1, "inner.zip", "application/zip", null);
        Sample docm = inner.member(TestContents.of("m".getBytes()), 2, "a.docm", null, null);
        assertThat(docm.declaredPath()).isEqualTo("invoice.zip/inner.zip/a.docm");
        assertThat(docm.nameDeclared()).isEqualTo("a.docm");
        SampleVerdict bad = SampleVerdict.of(List.of(RuleResult.stop("office_macro", Result.BAD, "macro")), 9);
        JudgedSample innerJudged = ContainerVerdict.of(inner, unknown, List.of(new JudgedSample(docm, bad)));
        JudgedSample outer = ContainerVerdict.of(zip, unknown, List.of(innerJudged));
        assertThat(outer.verdict().result()).isEqualTo(Result.BAD);
        assertThat(outer.verdict().rule()).isEqualTo("office_macro");
        assertThat(outer.verdict().reason()).isEqualTo("member \"invoice.zip/inner.zip/a.docm\": macro");
        assertThat(outer.decidingMember()).isEqualTo("invoice.zip/inner.zip/a.docm");
    }

    @Test
    void goodMembersLeaveTheContainersOwnVerdict() {
        Sample member = zip.member(TestContents.of("x".getBytes()), 1, null, "text/plain", "inline");
        assertThat(member.declaredPath()).isEqualTo("invoice.zip/part 1");
        assertThat(member.nameDeclared()).isNull();
        JudgedSample judged = ContainerVerdict.of(zip, unknown, List.of(new JudgedSample(member,
                SampleVerdict.of(List.of(RuleResult.stop("file_type_on_whitelist", Result.IGNORED, "ok")), 3))));
        // ignored outranks unknown among results, but both pass: the container's own rules decide.
        assertThat(judged.verdict()).isEqualTo(unknown);
        assertThat(judged.decidingMember()).isNull();
        assertThat(judged.members()).hasSize(1);
    }

    @Test
    void findingsAreReportedAndJudgedByTheirPolicy() {
        ExpansionSettings defaults = ExpansionSettings.defaults();
        SampleVerdict timeUp = ContainerVerdict.withFindings(unknown,
                List.of(new Finding(Finding.Kind.TIME, "took long")), defaults);
        assertThat(timeUp.result()).isEqualTo(Result.UNCHECKED);
        assertThat(timeUp.rule()).isEqualTo("expansion");
        assertThat(timeUp.report()).hasSize(2);

        ExpansionSettings strict = new ExpansionSettings(true, 8, 1000, 1L << 30, 100, 1L << 20,
                java.time.Duration.ofSeconds(30), List.of(), true, 10, Result.BAD, Result.BAD, Result.FAILED, Result.FAILED);
        SampleVerdict encrypted = ContainerVerdict.withFindings(unknown, List.of(
                new Finding(Finding.Kind.UNREADABLE, "truncated"), new Finding(Finding.Kind.ENCRYPTED, "a.docm")),
                strict);
        assertThat(encrypted.result()).isEqualTo(Result.BAD);
        assertThat(encrypted.reason()).isEqualTo("Encrypted content could not be opened: a.docm");
        assertThat(encrypted.report()).extracting(RuleResult::result)
                .containsExactly(Result.UNKNOWN, Result.FAILED, Result.BAD);

        assertThat(ContainerVerdict.withFindings(unknown, List.of(), defaults)).isSameAs(unknown);
        // By default what stays encrypted passes, reported; a damaged container still fails closed.
        SampleVerdict byDefault = ContainerVerdict.withFindings(unknown,
                List.of(new Finding(Finding.Kind.ENCRYPTED, "a.docm")), defaults);
        assertThat(byDefault.verdict()).isEqualTo(org.peekaboo.verdict.Verdict.GOOD);
        assertThat(byDefault.report()).last().extracting(RuleResult::result).isEqualTo(Result.IGNORED);

        // Final at once either way: damage is refused, a method without a decoder passes, reported.
        SampleVerdict damaged = ContainerVerdict.withFindings(unknown,
                List.of(new Finding(Finding.Kind.UNREADABLE, "truncated")), defaults);
        assertThat(damaged.result()).isEqualTo(Result.BAD);
        SampleVerdict unsupported = ContainerVerdict.withFindings(unknown,
                List.of(new Finding(Finding.Kind.UNSUPPORTED, "\"old.txt\" is packed with a method Peekaboo cannot"
                        + " read (UNSHRINKING)")), defaults);
        assertThat(unsupported.verdict()).isEqualTo(org.peekaboo.verdict.Verdict.GOOD);
        assertThat(unsupported.report()).last().satisfies(rule -> {
            assertThat(rule.result()).isEqualTo(Result.IGNORED);
            assertThat(rule.reason()).startsWith("Content packed in a method Peekaboo cannot unpack was not judged");
        });
        assertThat(ContainerVerdict.withFindings(unknown, List.of(Finding.interrupted()), defaults).result())
                .isEqualTo(Result.UNCHECKED);
    }

    @Test
    void worseIsWhatTheClientIsToldFirst() {
        assertThat(ContainerVerdict.worse(Result.UNCHECKED, Result.GOOD)).isTrue();
        assertThat(ContainerVerdict.worse(Result.UNCHECKED, Result.UNKNOWN)).isTrue();
        assertThat(ContainerVerdict.worse(Result.FAILED, Result.UNCHECKED)).isTrue();
        assertThat(ContainerVerdict.worse(Result.UNCHECKED, Result.FAILED)).isFalse();
        assertThat(ContainerVerdict.worse(Result.BAD, Result.FAILED)).isTrue();
        assertThat(ContainerVerdict.worse(Result.GOOD, Result.UNKNOWN)).isFalse();
        assertThat(ContainerVerdict.worse(Result.UNKNOWN, Result.UNCHECKED)).isFalse();
    }
}
