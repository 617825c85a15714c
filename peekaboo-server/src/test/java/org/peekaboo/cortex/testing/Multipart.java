package org.peekaboo.cortex.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits a multipart/form-data body into its parts, as Cortex's body parser sees them. */
final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");

    private Multipart() {
    }

    static List<RecordedRequest.Part> parse(String contentType, byte[] body) {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            return List.of();
        }
        // ISO-8859-1 maps every byte to one char, so offsets in the string are offsets in the body.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary.group(1);
        List<RecordedRequest.Part> parts = new ArrayList<>();
        int start = text.indexOf(delimiter);
        while (start >= 0) {
            int headersStart = start + delimiter.length();
            if (text.startsWith("--", headersStart)) {
                break;
            }
            int next = text.indexOf("\r\n" + delimiter, headersStart);
            int headersEnd = text.indexOf("\r\n\r\n", headersStart);
            if (next < 0 || headersEnd < 0 || headersEnd > next) {
                break;
            }
            String headers = text.substring(headersStart, headersEnd);
            String name = find(NAME, headers);
            String fileName = find(FILE_NAME, headers);
            String partType = null;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    partType = line.substring("content-type:".length()).strip();
                }
            }
            byte[] content = Arrays.copyOfRange(body, headersEnd + 4, next);
            parts.add(new RecordedRequest.Part(name, fileName == null ? null
                    : new String(fileName.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
                    partType, content));
            start = next + 2;
        }
        return parts;
    }

    private static String find(Pattern pattern, String headers) {
        Matcher matcher = pattern.matcher(headers);
        return matcher.find() ? matcher.group(1) : null;
    }
}
