package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

class SampleLogLineTest {
    /** A logfmt reader as a log shipper has it: bare values up to a blank, quoted ones with backslash escapes. */
    private static final Pattern FIELD = Pattern.compile(" ([a-z0-9]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^ \"]*)");

    @Test
    void aJudgedFileIsLoggedWithEveryFieldInAFixedOrder() {
        Sample sample = sample("invoice.pdf", "%PDF-1.4 harmless");
        SampleVerdict verdict = SampleVerdict.of(List.of(
                RuleResult.proceed("file_larger_than", Result.UNKNOWN, "small"),
                RuleResult.stop("known", Result.GOOD, "The file is known to be harmless")), 4711);

        String line = SampleLogLine.of(sample, verdict, Duration.ofMillis(12));

        assertThat(line).isEqualTo("Sample sha256=" + sample.sha256() + " size=17 name=\"invoice.pdf\""
                + " path=\"invoice.pdf\" job=4711 result=good rule=known ms=12"
                + " reason=\"The file is known to be harmless\"");
    }

    @Test
    void whatASenderChoseCannotAddOrHideAField() {
        // A name built to look like more fields must come back as one value.
        String hostile = "a\" result=good rule=known reason=\"x\\";
        Sample sample = sample(hostile, "MZ payload");
        SampleVerdict verdict = SampleVerdict.of(List.of(RuleResult.stop("expressions", Result.BAD,
                "matched \"MZ\" in " + hostile)), 7);

        Map<String, String> fields = parse(SampleLogLine.of(sample, verdict, Duration.ofMillis(3)));

        assertThat(fields).containsOnlyKeys("sha256", "size", "name", "path", "job", "result", "rule", "ms", "reason");
        assertThat(fields).containsEntry("name", hostile).containsEntry("result", "bad")
                .containsEntry("rule", "expressions").containsEntry("reason", "matched \"MZ\" in " + hostile);
    }

    @Test
    void aFileWithoutNameOrStoredJobHasDashesThatNoQuotedValueCanBe() {
        Sample sample = Sample.of(content("no name"), new SampleDeclaration("/tmp/p001", null, null, null));
        SampleVerdict verdict = SampleVerdict.of(List.of(RuleResult.stop("store", Result.FAILED, "")),
                SampleVerdict.NO_JOB);

        String line = SampleLogLine.of(sample, verdict, Duration.ZERO);

        assertThat(line).contains(" name=- path=- job=- result=failed rule=store ms=0 reason=\"\"");
    }

    private static Map<String, String> parse(String line) {
        assertThat(line).startsWith("Sample ");
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher field = FIELD.matcher(line);
        int end = "Sample".length();
        while (field.find() && field.start() == end) {
            String value = field.group(3) != null ? field.group(3).replaceAll("\\\\(.)", "$1") : field.group(2);
            assertThat(fields.put(field.group(1), value)).as("field %s given twice", field.group(1)).isNull();
            end = field.end();
        }
        assertThat(end).as("the whole line is fields: %s", line).isEqualTo(line.length());
        return fields;
    }

    private static Sample sample(String name, String text) {
        return Sample.of(content(text), new SampleDeclaration("/tmp/p002", name, null, null));
    }

    private static SampleContent content(String text) {
        return TestContents.of(text.getBytes(StandardCharsets.UTF_8));
    }
}
