package org.peekaboo.expansion;

import jakarta.mail.internet.SharedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a multipart body at its boundary, one part at a time, so that the reader can stop at
 * {@code max_members} or {@code max_time} between parts. Jakarta Mail's {@code MimeMultipart} splits
 * them all at once, and makes an object per part (with a class-path scan for each): a message of
 * millions of empty parts would take minutes and the heap. Lenient as mail clients are: a boundary
 * line may carry trailing white space, a missing {@code boundary} parameter is taken from the first
 * {@code --} line, a missing closing boundary ends the last part at the end of the message.
 */
final class MimePartSplitter {
    /** Bytes of a line compared with the boundary; RFC 2046 boundaries are at most 70 characters. */
    private static final int KEPT = 256;

    /** Receives each part as the range {@code [start, end)} of the body. */
    interface Parts {
        void part(long start, long end) throws IOException;
    }

    /** What splitting found. */
    enum Outcome { COMPLETE, TRUNCATED, NO_BOUNDARY }

    private MimePartSplitter() {
    }

    /**
     * Calls {@code parts} for each part of {@code body}, split at {@code boundary}, or at the first
     * {@code --} line when it is null.
     */
    static Outcome split(SharedInputStream body, String boundary, Parts parts) throws IOException {
        String delimiter = boundary == null ? firstDelimiter(body) : "--" + boundary.strip();
        if (delimiter == null || delimiter.length() <= 2 || delimiter.length() > KEPT - 2) {
            return Outcome.NO_BOUNDARY;
        }
        InputStream in = (InputStream) body;
        byte[] kept = new byte[KEPT];
        long partStart = -1;
        int terminator = 0;
        while (true) {
            long lineStart = body.getPosition();
            int length = 0;
            long all = 0;
            int b;
            int last = -1;
            while ((b = in.read()) != -1 && b != '\n') {
                if (length < KEPT) {
                    kept[length++] = (byte) b;
                }
                all++;
                last = b;
            }
            if (b == -1 && all == 0) {
                break;
            }
            String line = all > KEPT ? null : new String(kept, 0, length, StandardCharsets.ISO_8859_1).stripTrailing();
            boolean close = (delimiter + "--").equals(line);
            if (close || delimiter.equals(line)) {
                if (partStart >= 0) {
                    parts.part(partStart, Math.max(partStart, lineStart - terminator));
                }
                if (close) {
                    return Outcome.COMPLETE;
                }
                partStart = body.getPosition();
            }
            // The line end before a boundary belongs to the boundary, not to the part.
            terminator = b == '\n' ? (last == '\r' ? 2 : 1) : 0;
            if (b == -1) {
                break;
            }
        }
        if (partStart < 0) {
            return Outcome.NO_BOUNDARY;
        }
        parts.part(partStart, body.getPosition());
        return Outcome.TRUNCATED;
    }

    /** The first line that starts with {@code --}, as a delimiter, or null. */
    private static String firstDelimiter(SharedInputStream body) throws IOException {
        InputStream in = body.newStream(0, -1);
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString().strip();
                if (text.startsWith("--")) {
                    return text;
                }
                line.setLength(0);
            } else if (line.length() < KEPT) {
                line.append((char) b);
            }
        }
        String text = line.toString().strip();
        return text.startsWith("--") ? text : null;
    }
}
