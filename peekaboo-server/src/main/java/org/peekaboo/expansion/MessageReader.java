package org.peekaboo.expansion;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleContent;

/**
 * Opens whole RFC 5322 messages with Jakarta Mail (Angus): every leaf part is a member, nested
 * messages are members whole, and the words of the message's own text parts are offered as
 * passwords. See {@link MessageParts} for the walk and {@link MimeNames} for the names.
 */
final class MessageReader implements ContainerReader {
    /** Messages up to this size are parsed from memory; larger ones in place from their spool file. */
    private static final long IN_MEMORY = 1024 * 1024;
    /** A header field ({@code Name: value}), or an mbox "From " line, must open a message. */
    private static final Pattern FIRST_LINE = Pattern.compile("^(From |[!-9;-~]+[ \t]*:)");

    private final ExpansionSettings settings;
    private final Session session;

    MessageReader(ExpansionSettings settings) {
        this.settings = settings;
        // A private session: System properties are the daemon's, not a place for one reader's options.
        Properties properties = new Properties();
        properties.setProperty("mail.mime.decodefilename", "true");
        properties.setProperty("mail.mime.decodeparameters", "true");
        properties.setProperty("mail.mime.allowutf8", "true");
        properties.setProperty("mail.mime.parameters.strict", "false");
        properties.setProperty("mail.mime.multipart.allowempty", "true");
        properties.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        properties.setProperty("mail.mime.address.strict", "false");
        this.session = Session.getInstance(properties);
    }

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        MessageParts parts = new MessageParts(budget, budget.settings().passwordsFromText());
        List<Finding> findings = new ArrayList<>();
        try {
            if (content.size() == 0) {
                return new Expansion(List.of(), List.of(), List.of());
            }
            if (!startsWithHeader(content)) {
                // Declared a message but no header opens it: the whole is one body, judged as it is.
                budget.countMember(null);
                try (InputStream in = content.openStream()) {
                    parts.members().add(new Member(budget.copy(in, null, 0), null, null, null));
                }
            } else {
                walk(content, parts);
            }
        } catch (LimitReachedException e) {
            findings.add(e.finding());
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            findings.add(new Finding(Finding.Kind.UNREADABLE, "interrupted"));
        } catch (IOException | MessagingException | RuntimeException | StackOverflowError e) {
            findings.add(new Finding(Finding.Kind.UNREADABLE, "the message could not be read: " + e));
        }
        List<Finding> all = new ArrayList<>(parts.findings());
        all.addAll(findings);
        List<String> words = budget.settings().passwordsFromText()
                ? Passwords.wordsOf(parts.text(), budget.settings().maxPasswordWords()) : List.of();
        return new Expansion(parts.members(), all, words);
    }

    private void walk(SampleContent content, MessageParts parts) throws IOException, MessagingException {
        if (content.size() <= IN_MEMORY) {
            parts.walk(new MimeMessage(session, new SharedByteArrayInputStream(content.readAllBytes())), false, 0);
            return;
        }
        try (FileChannel channel = FileChannel.open(content.file(), StandardOpenOption.READ)) {
            parts.walk(new MimeMessage(session, new MessageFileInput(channel, 0, channel.size())), false, 0);
        }
    }

    private static boolean startsWithHeader(SampleContent content) throws IOException {
        byte[] start;
        try (InputStream in = content.openStream()) {
            start = in.readNBytes(256);
        }
        return FIRST_LINE.matcher(new String(start, StandardCharsets.ISO_8859_1)).find();
    }
}
