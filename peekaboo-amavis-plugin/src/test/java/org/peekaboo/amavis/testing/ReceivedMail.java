package org.peekaboo.amavis.testing;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * One message as the sink received it: the envelope and the data after undoing the
 * transparency dots, exactly as amavis forwarded it.
 */
public record ReceivedMail(String mailFrom, List<String> rcptTo, byte[] data) {

    public ReceivedMail {
        rcptTo = List.copyOf(rcptTo);
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The data parsed as MIME, to read headers and parts the way a mail client would. */
    public MimeMessage message() {
        try {
            return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
        } catch (MessagingException e) {
            throw new IllegalStateException("the sink received a message that is not MIME: " + e.getMessage(), e);
        }
    }

    /** The first value of a header, or null; a missing header is what tests look for. */
    public String header(String name) {
        try {
            return message().getHeader(name, null);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot read header " + name + ": " + e.getMessage(), e);
        }
    }
}
