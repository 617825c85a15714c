package org.peekaboo.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.peekaboo.http.AnalysisJournal.Counts;
import org.peekaboo.http.AnalysisJournal.Entry;
import org.peekaboo.verdict.RuleResult;

/**
 * The postmaster's pages, rendered on the server as plain HTML with their style inline: no
 * script, nothing fetched from anywhere else, readable in any browser and in a terminal one.
 * Every text from a sample or a client is escaped.
 */
final class PostmasterPage {
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    static final String PATH = "/postmaster";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = String.join("\n",
            "body{font-family:sans-serif;margin:1.5em;color:#222}",
            "table{border-collapse:collapse;margin:.5em 0 1.5em}",
            "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}",
            "th{background:#f0f0f0}",
            "td.bad{background:#fdd;font-weight:bold}td.good,td.ignored{background:#dfd}",
            "td.unchecked,td.failed{background:#ffd}",
            "code{font-size:90%}",
            "form{margin:1em 0}input[type=text]{width:34em}");

    private PostmasterPage() {
    }

    /** The overview: look-up form, counts of the last hour and day, the latest analyses. */
    static String overview(List<Entry> latest, Counts hour, Counts day, Instant now) {
        StringBuilder html = head("Peekaboo — analyses");
        html.append("<h1>Peekaboo</h1>\n<p>As of ").append(TIME.format(now)).append(".</p>\n");
        lookupForm(html, "");
        html.append("<h2>Verdicts</h2>\n");
        counts(html, "Result", hour.byResult(), day.byResult());
        counts(html, "Deciding rule", hour.byRule(), day.byRule());
        if (day.cut()) {
            html.append("<p>Only the latest ").append(day.byResult().values().stream().mapToLong(Long::longValue).sum())
                    .append(" analyses of the day are counted.</p>\n");
        }
        html.append("<h2>Latest analyses</h2>\n");
        entries(html, latest);
        return html.append("</body>\n</html>\n").toString();
    }

    /** What a look-up found: every analysis with its per-rule report and container chain. */
    static String found(String query, List<Entry> entries) {
        StringBuilder html = head("Peekaboo — " + query);
        html.append("<h1>Analyses of <code>").append(escape(query)).append("</code></h1>\n");
        html.append("<p><a href=\"").append(PATH).append("\">Back to the overview</a></p>\n");
        lookupForm(html, query);
        if (entries.isEmpty()) {
            html.append("<p id=\"nothing\">No analysis of <code>").append(escape(query))
                    .append("</code> is stored (give a SHA-256 or a job id).</p>\n");
        }
        for (Entry entry : entries) {
            html.append("<section class=\"analysis\">\n<h2>Job ").append(entry.jobId()).append(": ")
                    .append(escape(entry.result())).append("</h2>\n<table>\n");
            row(html, "Started", time(entry.created()));
            row(html, "Finished", time(entry.finished()));
            row(html, "Declared name", escape(entry.name()));
            row(html, "Declared type", escape(entry.type()));
            row(html, "SHA-256", "<code>" + escape(entry.sha256()) + "</code>");
            row(html, "Size", entry.size() + " bytes");
            row(html, "Verdict", "<span class=\"verdict\">" + escape(entry.result()) + "</span>");
            row(html, "Deciding rule", escape(entry.rule()));
            row(html, "Reason", escape(entry.reason()));
            row(html, "Instance", escape(entry.instance()));
            html.append("</table>\n");
            if (entry.chain().size() > 1) {
                html.append("<h3>Container chain</h3>\n<ol class=\"chain\">\n");
                entry.chain().forEach(link -> html.append("<li>").append(escape(link)).append("</li>\n"));
                html.append("</ol>\n");
            }
            html.append("<h3>Rules</h3>\n<table class=\"report\">\n<tr><th>Rule</th><th>Result</th><th>Reason</th></tr>\n");
            for (RuleResult rule : entry.report()) {
                html.append("<tr><td>").append(escape(rule.rule())).append("</td>");
                verdictCell(html, rule.result().label());
                html.append("<td>").append(escape(rule.reason())).append("</td></tr>\n");
            }
            html.append("</table>\n</section>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(4096).append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("\n</style>\n</head>\n<body>\n");
    }

    private static void lookupForm(StringBuilder html, String query) {
        html.append("<form method=\"get\" action=\"").append(PATH).append("/lookup\">\n")
                .append("<label for=\"q\">SHA-256 or job id</label>\n")
                .append("<input type=\"text\" id=\"q\" name=\"q\" value=\"").append(escape(query)).append("\">\n")
                .append("<button type=\"submit\">Look up</button>\n</form>\n");
    }

    private static void counts(StringBuilder html, String what, Map<String, Long> hour, Map<String, Long> day) {
        html.append("<table class=\"counts\">\n<tr><th>").append(escape(what))
                .append("</th><th>Last hour</th><th>Last day</th></tr>\n");
        if (day.isEmpty()) {
            html.append("<tr><td colspan=\"3\">none</td></tr>\n");
        }
        day.forEach((key, count) -> html.append("<tr><td>").append(escape(key)).append("</td><td>")
                .append(hour.getOrDefault(key, 0L)).append("</td><td>").append(count).append("</td></tr>\n"));
        html.append("</table>\n");
    }

    private static void entries(StringBuilder html, List<Entry> entries) {
        html.append("<table class=\"latest\">\n<tr><th>Time</th><th>Declared name</th><th>SHA-256</th>")
                .append("<th>Verdict</th><th>Deciding rule</th><th>Reason</th></tr>\n");
        for (Entry entry : entries) {
            html.append("<tr><td>").append(time(entry.finished() != null ? entry.finished() : entry.created()))
                    .append("</td><td>").append(escape(entry.name())).append("</td><td><a href=\"").append(PATH)
                    .append("/lookup?q=").append(escape(entry.sha256())).append("\"><code>")
                    .append(escape(entry.sha256().substring(0, Math.min(16, entry.sha256().length()))))
                    .append("…</code></a></td>");
            verdictCell(html, entry.result());
            html.append("<td>").append(escape(entry.rule())).append("</td><td>").append(escape(entry.reason()))
                    .append("</td></tr>\n");
        }
        if (entries.isEmpty()) {
            html.append("<tr><td colspan=\"6\">No analyses yet.</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void verdictCell(StringBuilder html, String result) {
        html.append("<td class=\"").append(escape(result)).append("\">").append(escape(result)).append("</td>");
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th>").append(label).append("</th><td>").append(value).append("</td></tr>\n");
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** Text as HTML: a name or reason chosen by a sender must not become markup. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) && c != '\t' ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
