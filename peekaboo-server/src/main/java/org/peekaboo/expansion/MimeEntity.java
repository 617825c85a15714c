package org.peekaboo.expansion;

import jakarta.mail.internet.SharedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A message or a part of one: its header fields and its body, a range of the shared message bytes.
 * Headers end at the empty line, or at the first line that is no header field: a part that forgot
 * its empty line keeps that line in its body instead of losing it to the headers. Header lines are
 * read as ISO-8859-1, one char per byte, so that {@link MimeNames} can tell UTF-8 names from
 * windows-1252 ones.
 *
 * @param headers the first value of each field by lower-case name, folded lines joined, as written
 * @param body    the body, still transfer-encoded; read it through {@link #rawBody()}
 */
record MimeEntity(Map<String, String> headers, SharedInputStream body) {
    private static final Pattern FIELD = Pattern.compile("^[!-9;-~]+[ \t]*:");
    /** Bytes of one header line kept; more is dropped: no legitimate field is that long. */
    private static final int MAX_LINE = 64 * 1024;
    /** Header bytes of one entity kept; beyond them the body begins, so crafted headers cannot fill the heap. */
    private static final int MAX_HEADERS = 1024 * 1024;

    MimeEntity {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Reads the entity that starts at {@code in}'s position and runs to its end. */
    static MimeEntity read(SharedInputStream in, boolean mbox) throws IOException {
        InputStream stream = (InputStream) in;
        Map<String, String> headers = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        long bodyStart;
        boolean first = true;
        long kept = 0;
        while (true) {
            long lineStart = in.getPosition();
            String line = readLine(stream);
            if (line == null || line.isEmpty()) {
                bodyStart = in.getPosition();
                break;
            }
            kept += line.length();
            if (kept > MAX_HEADERS) {
                bodyStart = lineStart;
                break;
            }
            if (first && mbox && line.startsWith("From ")) {
                first = false;
                continue;
            }
            first = false;
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append("\r\n").append(line);
            } else if (FIELD.matcher(line).find()) {
                put(headers, name, value);
                int colon = line.indexOf(':');
                name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(line.substring(colon + 1).stripLeading());
            } else {
                bodyStart = lineStart;
                break;
            }
        }
        put(headers, name, value);
        return new MimeEntity(headers, shared(in.newStream(bodyStart, -1)));
    }

    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** A new stream of the body, transfer encoding left as written. */
    InputStream rawBody() {
        return body.newStream(0, -1);
    }

    static SharedInputStream shared(InputStream in) throws IOException {
        if (in instanceof SharedInputStream shared) {
            return shared;
        }
        throw new IOException("not a shared stream: " + in.getClass().getName());
    }

    private static void put(Map<String, String> headers, String name, StringBuilder value) {
        if (name != null) {
            headers.putIfAbsent(name, value.toString());
        }
    }

    /** A line without its line end, at most {@link #MAX_LINE} bytes of it; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int b;
        boolean any = false;
        while ((b = in.read()) != -1 && b != '\n') {
            any = true;
            if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }
        if (b == -1 && !any) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
