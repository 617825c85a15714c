package org.peekaboo.cortex;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A complete answer from Cortex.
 *
 * @param status      HTTP status code
 * @param contentType the media type without parameters, lower case, or empty if none was sent
 * @param retryAfter  the {@code Retry-After} header as sent, if any
 * @param body        the whole body (empty if none)
 */
record HttpResult(int status, String contentType, Optional<String> retryAfter, byte[] body) {
    private static final int EXCERPT = 200;

    boolean isJson() {
        return contentType.equals("application/json") || contentType.endsWith("+json");
    }

    boolean isHtml() {
        return contentType.equals("text/html") || new String(body, 0, Math.min(body.length, 100),
                StandardCharsets.UTF_8).stripLeading().toLowerCase(java.util.Locale.ROOT).startsWith("<");
    }

    /** The start of the body, on one line, for messages. */
    String excerpt() {
        String text = new String(body, 0, Math.min(body.length, EXCERPT * 4), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        return text.length() > EXCERPT ? text.substring(0, EXCERPT) + "…" : text;
    }
}
