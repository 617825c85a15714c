package org.peekaboo.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts the verdicts of line protocol replies straight from their bytes: one per file
 * verdict line, one per final line, and the requests that failed. A bench connection keeps
 * its own tally (no shared counters in the timed loop); they are added up at the end.
 *
 * <p>Only the start of each line is looked at, so the bench does not spend on parsing what
 * it does not report. It depends on nothing but the wire format (docs/line-protocol.md).
 *
 * <p>A tally {@link #forClamd() for clamd} counts INSTREAM replies instead, one file and one
 * request each, read as a mail filter reads them: {@code stream: OK} good, {@code FOUND}
 * bad, an {@code ERROR} line (Peekaboo's "no verdict yet", or clamd's own error) and
 * {@code Heuristics.Limits.Exceeded…} (the rspamd profile's) unchecked.
 */
final class ReplyTally {
    static final int GOOD = 0;
    static final int BAD = 1;
    static final int UNCHECKED = 2;

    private static final byte[] FILE = ascii("File \"");
    private static final byte[] VERDICT = ascii(" verdict \"");
    private static final byte[] CATEGORIZED = ascii("The file collection has been categorized \"");
    private static final byte[] ERROR = ascii("ERROR:");
    // indexed by GOOD, BAD, UNCHECKED
    private static final byte[][] WORDS = {ascii("good"), ascii("bad"), ascii("unchecked")};

    private static final byte[] STREAM_OK = ascii("stream: OK");
    private static final byte[] LIMITS = ascii("stream: Heuristics.Limits.Exceeded");
    private static final byte[] FOUND = ascii(" FOUND");
    private static final byte[] ERROR_END = ascii(" ERROR");

    private final boolean clamd;
    private final int[] files = new int[3];
    private final int[] requests = new int[3];
    private int failed;

    /** A tally of line protocol replies. */
    ReplyTally() {
        this(false);
    }

    private ReplyTally(boolean clamd) {
        this.clamd = clamd;
    }

    /** A tally of clamd INSTREAM replies, which end in NUL. */
    static ReplyTally forClamd() {
        return new ReplyTally(true);
    }

    int files(int verdict) {
        return files[verdict];
    }

    int requests(int verdict) {
        return requests[verdict];
    }

    int failed() {
        return failed;
    }

    /** One file's verdict read elsewhere (a REST report), counted as a request of one file. */
    void countVerdict(int verdict) {
        files[verdict]++;
        requests[verdict]++;
    }

    /** A request that got no complete reply (connection refused, timeout, reset). */
    void failedRequest() {
        failed++;
    }

    /**
     * Counts one whole reply. A reply with an {@code ERROR:} line or without the final line
     * counts as a failed request, as a mail filter would treat it. A clamd reply without its
     * NUL or of no known form counts as failed too.
     */
    void countReply(byte[] reply, int length) {
        if (clamd) {
            countClamdReply(reply, length);
            return;
        }
        boolean categorized = false;
        boolean error = false;
        int start = 0;
        while (start < length) {
            int end = start;
            while (end < length && reply[end] != '\n') {
                end++;
            }
            if (startsWith(reply, start, end, FILE)) {
                int verdict = fileVerdict(reply, start + FILE.length, end);
                if (verdict >= 0) {
                    files[verdict]++;
                }
            } else if (startsWith(reply, start, end, CATEGORIZED)) {
                int verdict = word(reply, start + CATEGORIZED.length, end);
                if (verdict >= 0) {
                    requests[verdict]++;
                    categorized = true;
                }
            } else if (startsWith(reply, start, end, ERROR)) {
                error = true;
            }
            start = end + 1;
        }
        if (error || !categorized) {
            failed++;
        }
    }

    private void countClamdReply(byte[] reply, int length) {
        if (length == 0 || reply[length - 1] != 0) {
            failed++;
            return;
        }
        int end = length - 1;
        int verdict;
        if (Arrays.equals(reply, 0, end, STREAM_OK, 0, STREAM_OK.length)) {
            verdict = GOOD;
        } else if (endsWith(reply, end, FOUND)) {
            verdict = startsWith(reply, 0, end, LIMITS) ? UNCHECKED : BAD;
        } else if (endsWith(reply, end, ERROR_END)) {
            verdict = UNCHECKED;
        } else {
            failed++;
            return;
        }
        files[verdict]++;
        requests[verdict]++;
    }

    void add(ReplyTally other) {
        for (int v = GOOD; v <= UNCHECKED; v++) {
            files[v] += other.files[v];
            requests[v] += other.requests[v];
        }
        failed += other.failed;
    }

    /** The verdict of {@code File "<name>" verdict "<word>" ...}, from just after the name's opening quote. */
    private static int fileVerdict(byte[] line, int from, int end) {
        // The name is a JSON string literal: a quote inside it is escaped, so the first bare
        // quote closes it.
        int i = from;
        while (i < end && line[i] != '"') {
            i += line[i] == '\\' ? 2 : 1;
        }
        i++;
        return startsWith(line, i, end, VERDICT) ? word(line, i + VERDICT.length, end) : -1;
    }

    private static int word(byte[] line, int from, int end) {
        int close = from;
        while (close < end && line[close] != '"') {
            close++;
        }
        if (close >= end) {
            return -1;
        }
        for (int verdict = GOOD; verdict <= UNCHECKED; verdict++) {
            if (Arrays.equals(line, from, close, WORDS[verdict], 0, WORDS[verdict].length)) {
                return verdict;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] line, int from, int end, byte[] prefix) {
        return end - from >= prefix.length && Arrays.equals(line, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean endsWith(byte[] text, int end, byte[] suffix) {
        return end >= suffix.length && Arrays.equals(text, end - suffix.length, end, suffix, 0, suffix.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
