package org.peekaboo.lineprotocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.sample.SampleDeclaration;

/**
 * Turns a request line into a {@link ScanRequest}, or into a {@link MalformedRequest} saying
 * precisely what is wrong. Any defect rejects the whole request: scanning only some of a
 * mail's parts could let the others through unexamined.
 */
final class ScanRequestParser {
    private static final String EXPECTED = "expected a JSON array of file objects";

    private final int maxParts;
    // Duplicate keys and trailing data are refused: both make it ambiguous what was asked.
    // One mapper for every connection: building one costs more than parsing many requests.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    ScanRequestParser(int maxParts) {
        this.maxParts = maxParts;
    }

    ClientRequest parse(String line) {
        if (line.isBlank()) {
            return new MalformedRequest("Empty request; " + EXPECTED);
        }
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return new MalformedRequest("Invalid JSON in request: " + describe(e));
        }
        if (!root.isArray()) {
            return new MalformedRequest("Invalid request structure: " + EXPECTED + ", got " + kind(root));
        }
        if (root.isEmpty()) {
            return new MalformedRequest("Invalid request structure: the array is empty; " + EXPECTED);
        }
        if (root.size() > maxParts) {
            return new MalformedRequest("Too many parts: the request has " + root.size()
                    + " objects, the limit is " + maxParts + " (max_parts)");
        }
        List<RequestPart> parts = new ArrayList<>(root.size());
        for (int index = 0; index < root.size(); index++) {
            try {
                parts.add(part(root.get(index), index + 1));
            } catch (InvalidPart e) {
                return new MalformedRequest(e.getMessage());
            }
        }
        if (parts.stream().anyMatch(RequestPart.Status.class::isInstance)) {
            // Its answer is one JSON line of its own, which no file report or pong may share.
            return parts.size() == 1 ? new StatusRequest()
                    : new MalformedRequest("Invalid request: a \"status\" request must be the only element");
        }
        return new ScanRequest(parts);
    }

    private static RequestPart part(JsonNode node, int position) throws InvalidPart {
        if (!node.isObject()) {
            throw new InvalidPart("Invalid request structure: element " + position + " is " + kind(node)
                    + ", expected an object");
        }
        RequestType type = RequestType.SCAN_FILE;
        JsonNode request = node.get(ProtocolLines.REQUEST);
        if (request != null && !request.isNull()) {
            if (!request.isTextual()) {
                throw new InvalidPart("Invalid request structure: \"request\" of element " + position
                        + " must be a string, got " + kind(request));
            }
            type = RequestType.parse(request.textValue());
            if (type == RequestType.UNSUPPORTED) {
                throw new InvalidPart("Unsupported request " + ProtocolLines.quote(request.textValue()));
            }
        }
        return switch (type) {
            case PING -> new RequestPart.Ping();
            case STATUS -> new RequestPart.Status();
            case SCAN_FILE -> new RequestPart.ScanFile(declaration(node, position));
            case UNSUPPORTED -> throw new IllegalStateException("refused above");
        };
    }

    private static SampleDeclaration declaration(JsonNode node, int position) throws InvalidPart {
        JsonNode fullName = node.get(ProtocolLines.FULL_NAME);
        if (fullName == null || fullName.isNull()) {
            throw new InvalidPart("Incomplete request: element " + position + " has no \"full_name\"");
        }
        if (!fullName.isTextual()) {
            throw new InvalidPart("Invalid request structure: \"full_name\" of element " + position
                    + " must be a string, got " + kind(fullName));
        }
        String path = fullName.textValue();
        if (!isAbsolutePath(path)) {
            throw new InvalidPart("Invalid request: \"full_name\" of element " + position
                    + " must be an absolute path, got " + ProtocolLines.quote(path));
        }
        return new SampleDeclaration(path,
                firstNonEmpty(node, ProtocolLines.NAME_DECLARED, position),
                firstNonEmpty(node, ProtocolLines.TYPE_DECLARED, position),
                text(node, ProtocolLines.CONTENT_DISPOSITION, position));
    }

    private static boolean isAbsolutePath(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * A string, or the first non-empty string of an array: amavis sends a part's declared
     * names as an array when the mail gave several.
     */
    private static String firstNonEmpty(JsonNode node, String key, int position) throws InvalidPart {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return emptyToNull(value.textValue());
        }
        if (!value.isArray()) {
            throw new InvalidPart(mustBe(key, position, "a string or an array of strings", value));
        }
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new InvalidPart(mustBe(key, position, "a string or an array of strings", element));
            }
        }
        for (JsonNode element : value) {
            if (!element.textValue().isEmpty()) {
                return element.textValue();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String key, int position) throws InvalidPart {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPart(mustBe(key, position, "a string", value));
        }
        return emptyToNull(value.textValue());
    }

    // An empty declaration says nothing; PeekabooAV's sample identity treats it like none.
    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String mustBe(String key, int position, String expected, JsonNode actual) {
        return "Invalid request structure: \"" + key + "\" of element " + position + " must be " + expected
                + ", got " + kind(actual);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY, MISSING -> "nothing";
        };
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        JsonLocation location = e.getLocation();
        if (location != null && location.getColumnNr() > 0) {
            message += " (at character " + location.getColumnNr() + ")";
        }
        return message;
    }

    /** One element is wrong; its message becomes the reply. */
    private static final class InvalidPart extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPart(String message) {
            super(message, null, false, false);
        }
    }
}
