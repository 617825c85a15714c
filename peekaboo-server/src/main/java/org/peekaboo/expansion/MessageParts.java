package org.peekaboo.expansion;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.MimeUtility;
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
 * counting depth). A part Jakarta Mail cannot split or decode becomes a member of its raw bytes, so
 * that malformed MIME hides nothing. One per message read; not thread-safe.
 */
final class MessageParts {
    /** Multiparts nested deeper are not split: nothing legitimate nests like that, and recursion must end. */
    static final int MAX_NESTING = 100;
    /** Text read per message for the password words: enough for any real mail, bounded for crafted ones. */
    static final int MAX_TEXT = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MessageParts.class);

    private final ExpansionBudget budget;
    private final boolean collectText;
    private final List<Member> members = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int textBytes;

    MessageParts(ExpansionBudget budget, boolean collectText) {
        this.budget = budget;
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
     * Adds the leaves of {@code part}.
     *
     * @param inDigest whether the part is a child of a multipart/digest, where a part without a type is a message
     * @param depth    multiparts around the part
     * @throws LimitReachedException  when a limit is reached
     * @throws InterruptedIOException when Peekaboo stops
     */
    void walk(MimePart part, boolean inDigest, int depth) throws IOException {
        budget.checkTime();
        MimeHeaderValue contentType = MimeHeaderValue.parse(header(part, "Content-Type"));
        MimeHeaderValue disposition = MimeHeaderValue.parse(header(part, "Content-Disposition"));
        String type = contentType == null ? (inDigest ? "message/rfc822" : null) : contentType.mimeType();
        String name = MimeNames.nameOf(disposition, contentType);
        String dispositionType = disposition == null ? null : disposition.token();
        if (type != null && type.startsWith("multipart/")) {
            if (depth >= MAX_NESTING) {
                findings.add(new Finding(Finding.Kind.UNREADABLE, "multipart nesting deeper than " + MAX_NESTING
                        + ": the rest is judged as raw bytes"));
                rawLeaf(part, name, type, dispositionType);
                return;
            }
            MimeMultipart multipart;
            int count;
            try {
                multipart = new MimeMultipart(new MimePartDataSource(part));
                count = multipart.getCount();
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("{} not split, judged as raw bytes: {}", type, e.toString());
                rawLeaf(part, name, type, dispositionType);
                return;
            }
            boolean digest = type.equals("multipart/digest");
            for (int index = 0; index < count; index++) {
                MimePart child;
                try {
                    child = (MimePart) multipart.getBodyPart(index);
                } catch (MessagingException | RuntimeException e) {
                    findings.add(new Finding(Finding.Kind.UNREADABLE, "part " + (index + 1) + " of a " + type
                            + " could not be read: " + e.getMessage()));
                    continue;
                }
                walk(child, digest, depth + 1);
            }
            if (!complete(multipart)) {
                findings.add(new Finding(Finding.Kind.UNREADABLE, "a " + type + " ends without its closing "
                        + "boundary: the message is truncated and its last part may be incomplete"));
            }
            return;
        }
        leaf(part, name, type, dispositionType, contentType);
    }

    private void leaf(MimePart part, String name, String type, String disposition, MimeHeaderValue contentType)
            throws IOException {
        budget.countMember(name);
        SampleContent content;
        try (InputStream in = decoded(part)) {
            content = budget.copy(in, name, 0);
        } catch (LimitReachedException | InterruptedIOException e) {
            throw e;
        } catch (IOException | MessagingException | RuntimeException e) {
            // Broken base64, an unknown encoding: the encoded bytes are judged instead, which loses nothing.
            LOG.debug("part {} not decoded, judged as raw bytes: {}", name, e.toString());
            content = raw(part, name, type);
            if (content == null) {
                return;
            }
        }
        members.add(new Member(content, name, type, disposition));
        if (type == null || type.equals("text/plain") || type.equals("text/html")) {
            addText(content, contentType == null ? null : contentType.parameter("charset"), "text/html".equals(type));
        }
    }

    private void rawLeaf(MimePart part, String name, String type, String disposition) throws IOException {
        budget.countMember(name);
        SampleContent content = raw(part, name, type);
        if (content != null) {
            members.add(new Member(content, name, type, disposition));
        }
    }

    /** The part's body as written, or null (with a finding) when even that cannot be read. */
    private SampleContent raw(MimePart part, String name, String type) throws IOException {
        try (InputStream in = rawStream(part)) {
            return budget.copy(in, name, 0);
        } catch (LimitReachedException | InterruptedIOException e) {
            throw e;
        } catch (IOException | MessagingException | RuntimeException e) {
            findings.add(new Finding(Finding.Kind.UNREADABLE, "a " + (type == null ? "part" : type) + " part"
                    + (name == null ? "" : " named \"" + name + '"') + " could not be read: " + e.getMessage()));
            return null;
        }
    }

    private static InputStream decoded(MimePart part) throws MessagingException {
        String encoding = header(part, "Content-Transfer-Encoding");
        InputStream raw = rawStream(part);
        if (encoding == null) {
            return raw;
        }
        String name = MimeHeaderValue.parse(encoding).value().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "", "7bit", "8bit", "binary" -> raw;
            default -> MimeUtility.decode(raw, name);
        };
    }

    /** The part's body with its transfer encoding left as written. */
    private static InputStream rawStream(MimePart part) throws MessagingException {
        return switch (part) {
            case MimeBodyPart body -> body.getRawInputStream();
            case MimeMessage message -> message.getRawInputStream();
            default -> throw new MessagingException("no raw body for a " + part.getClass().getName());
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

    private static boolean complete(MimeMultipart multipart) {
        try {
            return multipart.isComplete();
        } catch (MessagingException e) {
            return false;
        }
    }

    /** A header's first value, or null; a header Jakarta Mail cannot give counts as absent. */
    private static String header(MimePart part, String name) {
        try {
            String[] values = part.getHeader(name);
            return values == null || values.length == 0 ? null : values[0];
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }
}
