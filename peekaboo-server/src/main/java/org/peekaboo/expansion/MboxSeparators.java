package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the second and later messages of an mbox begin. An mbox separates messages by a "From_"
 * line ({@code From <sender> <date>}) after an empty line; only lines of that shape count, so that
 * a body line starting with "From " rarely splits a message. A line that does is harmless: the
 * reader keeps the first message whole to the end of the file and judges each later message as
 * well, so a wrong split adds a member and hides nothing.
 */
final class MboxSeparators {
    /**
     * A From_ line: the sender (an address, {@code MAILER-DAEMON}, or {@code -} as Thunderbird
     * writes), then a date that starts with the day of the week and holds a time of day.
     */
    private static final Pattern FROM_LINE = Pattern.compile(
            "^From \\S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun),? .*\\b\\d{1,2}:\\d{2}(:\\d{2})?\\b.*$");
    /** Longer lines are no From_ line; only this much of each is kept for the test. */
    private static final int MAX_LINE = 1024;

    private MboxSeparators() {
    }

    /**
     * The offsets of the From_ lines after the first line of {@code in}, in order; none when the
     * stream is no mbox (its first line is no From_ line).
     */
    static List<Long> laterMessages(InputStream in) throws IOException {
        List<Long> starts = new ArrayList<>();
        byte[] line = new byte[MAX_LINE];
        long offset = 0;
        long lineStart = 0;
        int length = 0;
        boolean first = true;
        boolean previousEmpty = false;
        int b;
        do {
            b = in.read();
            if (b != -1 && b != '\n') {
                if (length < MAX_LINE) {
                    line[length] = (byte) b;
                }
                length++;
                offset++;
                continue;
            }
            int kept = Math.min(length, MAX_LINE);
            if (kept > 0 && line[kept - 1] == '\r') {
                kept--;
            }
            boolean fromLine = length <= MAX_LINE && isFromLine(line, kept);
            if (first && !fromLine) {
                return List.of();
            }
            if (!first && previousEmpty && fromLine) {
                starts.add(lineStart);
            }
            first = false;
            previousEmpty = kept == 0;
            offset++;
            lineStart = offset;
            length = 0;
        } while (b != -1);
        return starts;
    }

    private static boolean isFromLine(byte[] line, int length) {
        return length > 5 && line[0] == 'F' && line[4] == ' '
                && FROM_LINE.matcher(new String(line, 0, length, StandardCharsets.ISO_8859_1)).matches();
    }
}
