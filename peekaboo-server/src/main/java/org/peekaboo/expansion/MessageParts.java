package org.peekaboo.expansion;

import jakarta.mail.internet.SharedInputStream;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.peekaboo.sample.SampleContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks one message's MIME tree and copies each leaf into a {@link Member}: the bodies, inline parts
 * and attachments of every multipart kind, and nested messages whole (the engine opens them again,
 * counting depth). A part that cannot be split or decoded becomes a member of its raw bytes, so that
 * malformed MIME hides nothing. One per message read; not thread-safe.
 */
final class MessageParts {
    /** Multiparts nested deeper are not split: nothing legitimate nests like that, and recursion must end. */
    static final int MAX_NESTING = 100;
    /** Text read per message for the password words: enough for any real mail, bounded for crafted ones. */
    static final int MAX_TEXT = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MessageParts.class);

    private final ExpansionBudget budget;
    private final StreamProvider streams;
    private final boolean collectText;
    private final List<Member> members = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int textBytes;

    MessageParts(ExpansionBudget budget, StreamProvider streams, boolean collectText) {
        this.budget = budget;
        this.streams = streams;
        this.collectText = collectText;
    }

    List<Member> members() {
        return members;
    }

    List<Finding> findings() {
        return findings;
    }

    /** The message's own text, from its text/plain and text/html parts, at most {@link #MAX_TEXT} bytes of them. */
    String text() {
        return text.toString();
    }

    /**
     * Adds the leaves of {@code entity}.
     *
     * @param inDigest whether the entity is a part of a multipart/digest, where a part without a type is a message
     * @param depth    multiparts around the entity
     * @throws LimitReachedException  when a limit is reached
     * @throws InterruptedIOException when Peekaboo stops
     */
    void walk(MimeEntity entity, boolean inDigest, int depth) throws IOException {
        budget.checkTime();
        MimeHeaderValue contentType = MimeHeaderValue.parse(entity.header("Content-Type"));
        MimeHeaderValue disposition = MimeHeaderValue.parse(entity.header("Content-Disposition"));
        String type = contentType == null ? (inDigest ? "message/rfc822" : null) : contentType.mimeType();
        String name = MimeNames.nameOf(disposition, contentType);
        String dispositionType = disposition == null ? null : disposition.token();
        if (type == null || !type.startsWith("multipart/")) {
            leaf(entity, name, type, dispositionType, contentType);
            return;
        }
        if (depth >= MAX_NESTING) {
            findings.add(new Finding(Finding.Kind.UNREADABLE, "multipart nesting deeper than " + MAX_NESTING
                    + ": the rest is judged as raw bytes"));
            rawLeaf(entity, name, type, dispositionType);
            return;
        }
        boolean digest = type.equals("multipart/digest");
        SharedInputStream body = MimeEntity.shared(entity.rawBody());
        MimePartSplitter.Outcome outcome = MimePartSplitter.split(body, contentType.parameter("boundary"),
                (start, end) -> walk(MimeEntity.read(MimeEntity.shared(body.newStream(start, end)), false), digest,
                        depth + 1));
        switch (outcome) {
            case COMPLETE -> { }
            case TRUNCATED -> findings.add(new Finding(Finding.Kind.UNREADABLE, "a " + type + " ends without its "
                    + "closing boundary: the message is truncated and its last part may be incomplete"));
            case NO_BOUNDARY -> {
                LOG.debug("{} without its boundary, judged as raw bytes", type);
                rawLeaf(entity, name, type, dispositionType);
            }
        }
    }

    private void leaf(MimeEntity entity, String name, String type, String disposition, MimeHeaderValue contentType)
            throws IOException {
        budget.countMember(name);
        SampleContent content;
        try (InputStream in = decoded(entity)) {
            content = budget.copy(in, name, 0);
        } catch (LimitReachedException | InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Broken base64, an unknown encoding: the encoded bytes are judged instead, which loses nothing.
            LOG.debug("part {} not decoded, judged as raw bytes: {}", name, e.toString());
            try (InputStream in = entity.rawBody()) {
                content = budget.copy(in, name, 0);
            }
        }
        if (content.size() == 0 && name == null) {
            // An empty body without a name (a message of headers only) gives nothing to judge.
            content.close();
            return;
        }
        members.add(new Member(content, name, type, disposition));
        if (type == null || type.equals("text/plain") || type.equals("text/html")) {
            addText(content, contentType == null ? null : contentType.parameter("charset"), "text/html".equals(type));
        }
    }

    /** Adds a whole message of its own bytes, as a nested one: the engine opens it again, counting depth. */
    void message(InputStream bytes) throws IOException {
        budget.checkTime();
        budget.countMember(null);
        try (InputStream in = bytes) {
            members.add(new Member(budget.copy(in, null, 0), null, "message/rfc822", null));
        }
    }

    private void rawLeaf(MimeEntity entity, String name, String type, String disposition) throws IOException {
        budget.countMember(name);
        try (InputStream in = entity.rawBody()) {
            members.add(new Member(budget.copy(in, name, 0), name, type, disposition));
        }
    }

    private InputStream decoded(MimeEntity entity) throws IOException {
        String encoding = entity.header("Content-Transfer-Encoding");
        InputStream raw = entity.rawBody();
        String name = encoding == null ? "" : MimeHeaderValue.parse(encoding).value().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "", "7bit", "8bit", "binary" -> raw;
            case "base64" -> streams.inputBase64(raw);
            case "quoted-printable" -> streams.inputQP(raw);
            case "uuencode", "x-uuencode", "x-uue" -> streams.inputUU(raw);
            default -> {
                raw.close();
                throw new IOException("unknown Content-Transfer-Encoding " + name);
            }
        };
    }

    private void addText(SampleContent content, String charset, boolean html) throws IOException {
        int left = MAX_TEXT - textBytes;
        if (!collectText || left <= 0) {
            return;
        }
        byte[] bytes;
        try (InputStream in = content.openStream()) {
            bytes = in.readNBytes(left);
        }
        textBytes += bytes.length;
        text.append(MimeText.of(bytes, charset, html)).append('\n');
    }
}
