package org.peekaboo.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peekaboo.http.AnalysisJournal.Counts;
import org.peekaboo.http.AnalysisJournal.Entry;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class PostmasterPageTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String SHA = "ab".repeat(32);

    @Test
    void theOverviewShowsTheLookUpCountsAndLatestAnalyses() {
        String html = PostmasterPage.overview(List.of(entry("mail.eml/Rechnung.doc")),
                new Counts(Map.of("bad", 1L), Map.of("office_macro_dropper", 1L), false),
                new Counts(Map.of("bad", 3L, "good", 7L), Map.of("office_macro_dropper", 3L, "final_rule", 7L), false),
                NOW);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("As of 2026-12-06 12:00:00 UTC")
                .contains("<form method=\"get\" action=\"/postmaster/lookup\">")
                .contains("<tr><td>bad</td><td>1</td><td>3</td></tr>")
                .contains("<tr><td>good</td><td>0</td><td>7</td></tr>")
                .contains("<td>office_macro_dropper</td>")
                .contains("href=\"/postmaster/lookup?q=" + SHA + "\"")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void aLookUpShowsTheWholeReportAndTheContainerChain() {
        String html = PostmasterPage.found(SHA, List.of(entry("mail.eml/Rechnung.zip/Rechnung.doc")));

        assertThat(html).contains("<h2>Job 17: bad</h2>")
                .contains("<ol class=\"chain\">\n<li>mail.eml</li>\n<li>Rechnung.zip</li>\n<li>Rechnung.doc</li>\n</ol>")
                .contains("<tr><td>known</td><td class=\"unknown\">unknown</td><td>not known</td></tr>")
                .contains("<td class=\"bad\">bad</td>");
        assertThat(PostmasterPage.found("42", List.of())).contains("No analysis of <code>42</code> is stored");
    }

    @Test
    void whatASenderChoseNeverBecomesMarkup() {
        String html = PostmasterPage.found("<b>q</b>", List.of(entry("<script>alert(1)</script>.doc")));

        assertThat(html).doesNotContain("<script>").doesNotContain("<b>q</b>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;.doc").contains("&lt;b&gt;q&lt;/b&gt;");
        assertThat(PostmasterPage.escape("a\"b'c&d\u0007")).isEqualTo("a&quot;b&#39;c&amp;d\uFFFD");
    }

    private static Entry entry(String name) {
        return new Entry(17, NOW.minusSeconds(5), NOW.minusSeconds(4), name, "application/msword", SHA, 2048,
                "FINISHED", "bad", "Document_Open runs powershell", List.of(
                        RuleResult.proceed("known", Result.UNKNOWN, "not known"),
                        RuleResult.stop("office_macro_dropper", Result.BAD, "Document_Open runs powershell")),
                "office_macro_dropper", "instance-a");
    }
}
