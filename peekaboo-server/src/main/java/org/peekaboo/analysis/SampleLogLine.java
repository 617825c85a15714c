package org.peekaboo.analysis;

import java.time.Duration;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The one line logged per judged sample, as {@code key=value} fields in a fixed order so that
 * operators and log shippers can parse it (journalctl, grep, Loki's logfmt): bare values for what
 * Peekaboo itself chose (hash, numbers, result, rule), quoted values for what a sender chose or a
 * rule wrote (name, path, reason), and {@code -} for a field that has no value, which a quoted
 * {@code "-"} cannot be confused with. Control characters are left to the log layout, which
 * escapes every message.
 */
final class SampleLogLine {
    private SampleLogLine() {
    }

    static String of(Sample sample, SampleVerdict verdict, Duration took) {
        StringBuilder line = new StringBuilder(200).append("Sample");
        field(line, "sha256", sample.sha256());
        field(line, "size", Long.toString(sample.size()));
        quoted(line, "name", sample.nameDeclared());
        // The chain differs from the name only for members of archives and messages.
        quoted(line, "path", sample.declaredPath());
        field(line, "job", verdict.jobId() == SampleVerdict.NO_JOB ? null : Long.toString(verdict.jobId()));
        field(line, "result", verdict.result().label());
        field(line, "rule", verdict.rule());
        field(line, "ms", Long.toString(took.toMillis()));
        quoted(line, "reason", verdict.reason());
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        line.append(' ').append(key).append('=').append(value == null || value.isEmpty() ? "-" : value);
    }

    private static void quoted(StringBuilder line, String key, String value) {
        if (value == null) {
            field(line, key, null);
            return;
        }
        line.append(' ').append(key).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
        line.append('"');
    }
}
