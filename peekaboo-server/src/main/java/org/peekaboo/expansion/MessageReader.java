package org.peekaboo.expansion;

import jakarta.mail.internet.SharedInputStream;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.sample.SampleContent;

/**
 * Opens whole RFC 5322 messages: every leaf part is a member, nested messages are members whole
 * (so are the later messages of an mbox, {@link MboxSeparators}), and the words of the message's own text parts are offered as passwords. The MIME structure is
 * split here ({@link MimeEntity}, {@link MimePartSplitter}), part by part within the budget; Jakarta
 * Mail (Angus) decodes the transfer encodings. See {@link MessageParts} for the walk and
 * {@link MimeNames} for the names.
 */
final class MessageReader implements ContainerReader {
    /** Messages up to this size are read from memory; larger ones in place from their spool file. */
    private static final long IN_MEMORY = 1024 * 1024;

    /** Looked up once: Jakarta Mail scans the class path for it on every call of {@code provider()}. */
    private final StreamProvider streams;

    MessageReader() {
        this.streams = StreamProvider.provider();
    }

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        MessageParts parts = new MessageParts(budget, streams, budget.settings().passwordsFromText());
        List<Finding> findings = new ArrayList<>();
        try {
            if (content.size() > 0) {
                walk(content, parts);
            }
        } catch (LimitReachedException e) {
            findings.add(e.finding());
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            findings.add(Finding.interrupted());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            findings.add(new Finding(Finding.Kind.UNREADABLE, "the message could not be read: " + e));
        }
        List<Finding> all = new ArrayList<>(parts.findings());
        all.addAll(findings);
        List<String> words = budget.settings().passwordsFromText()
                ? Passwords.wordsOf(parts.text(), budget.settings().maxPasswordWords()) : List.of();
        return new Expansion(parts.members(), all, words);
    }

    private static void walk(SampleContent content, MessageParts parts) throws IOException {
        if (content.size() <= IN_MEMORY) {
            walk(new SharedByteArrayInputStream(content.readAllBytes()), parts);
            return;
        }
        try (FileChannel channel = FileChannel.open(content.file(), StandardOpenOption.READ)) {
            walk(new MessageFileInput(channel, 0, channel.size()), parts);
        }
    }

    /**
     * The message, and in an mbox of several messages each later one as a nested message. The first
     * is read to the end of the file, as if the separators were body lines: a From_ line that was
     * one loses nothing that way.
     */
    private static void walk(SharedInputStream whole, MessageParts parts) throws IOException {
        parts.walk(MimeEntity.read(MimeEntity.shared(whole.newStream(0, -1)), true), false, 0);
        List<Long> starts;
        try (InputStream in = whole.newStream(0, -1)) {
            starts = MboxSeparators.laterMessages(in);
        }
        for (int at = 0; at < starts.size(); at++) {
            long end = at + 1 < starts.size() ? starts.get(at + 1) : -1;
            parts.message(whole.newStream(starts.get(at), end));
        }
    }
}
