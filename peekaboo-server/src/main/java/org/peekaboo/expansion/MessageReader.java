package org.peekaboo.expansion;

import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.sample.SampleContent;

/**
 * Opens whole RFC 5322 messages: every leaf part is a member, nested messages are members whole,
 * and the words of the message's own text parts are offered as passwords. The MIME structure is
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
            parts.walk(MimeEntity.read(new SharedByteArrayInputStream(content.readAllBytes()), true), false, 0);
            return;
        }
        try (FileChannel channel = FileChannel.open(content.file(), StandardOpenOption.READ)) {
            parts.walk(MimeEntity.read(new MessageFileInput(channel, 0, channel.size()), true), false, 0);
        }
    }
}
