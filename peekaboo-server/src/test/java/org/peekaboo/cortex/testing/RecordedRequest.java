package org.peekaboo.cortex.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request the emulator received, for assertions.
 *
 * @param path    the path below the emulator's prefix, e.g. {@code /api/job/status}
 * @param headers header names in lower case
 * @param parts   the multipart parts, empty for other bodies
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              byte[] body, List<Part> parts) {

    /** One part of a multipart body. */
    public record Part(String name, String fileName, String contentType, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)))
                .flatMap(values -> values.stream().findFirst());
    }

    public Optional<Part> part(String name) {
        return parts.stream().filter(part -> part.name().equals(name)).findFirst();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean is(String method, String path) {
        return this.method.equals(method) && this.path.equals(path);
    }
}
