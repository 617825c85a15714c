package org.peekaboo.amavis.testing;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/** Builds the MIME messages the tests send, with file names encoded exactly as asked. */
public final class TestMails {
    public static final String FROM = "sender@client.test";
    public static final String TO = "recipient@peekaboo.test";

    private final Session session = Session.getInstance(new Properties());

    /**
     * A mail with a text body and the attachments; the subject should be unique to the test,
     * so that the sink's messages can be told apart.
     */
    public MimeMessage mail(String subject, String body, List<Attachment> attachments) {
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(FROM));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(TO));
            message.setSubject(subject, "UTF-8");
            if (attachments.isEmpty()) {
                message.setText(body, "UTF-8");
            } else {
                MimeMultipart multipart = new MimeMultipart("mixed");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, "UTF-8");
                multipart.addBodyPart(text);
                for (Attachment attachment : attachments) {
                    multipart.addBodyPart(part(attachment));
                }
                message.setContent(multipart);
            }
            message.saveChanges();
            return message;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalArgumentException("cannot build test mail " + subject + ": " + e.getMessage(), e);
        }
    }

    private static MimeBodyPart part(Attachment attachment) throws MessagingException, UnsupportedEncodingException {
        MimeBodyPart part = new MimeBodyPart();
        String contentType = attachment.contentType() + "; " + parameter("name", attachment);
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), contentType)));
        part.setHeader("Content-Type", contentType);
        part.setHeader("Content-Disposition", "attachment; " + parameter("filename", attachment));
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    private static String parameter(String key, Attachment attachment) throws UnsupportedEncodingException {
        return switch (attachment.encoding()) {
            case QUOTED -> key + "=\"" + attachment.name() + "\"";
            case RFC2231 -> key + "*=UTF-8''" + percentEncoded(attachment.name());
            case RFC2047 -> key + "=\"" + MimeUtility.encodeText(attachment.name(), "UTF-8", "B") + "\"";
        };
    }

    /** RFC 2231 section 7: everything but attribute characters as %XX of the UTF-8 bytes. */
    static String percentEncoded(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return encoded.toString();
    }
}
