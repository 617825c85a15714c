package org.peekaboo.amavis.soak;

/**
 * One mail of the soak as the sending MTA holds it: the bytes it sends on every attempt, and
 * what it carries.
 *
 * @param id      unique within the run; also in the mail's {@value SoakMails#ID_HEADER} header
 * @param parts   attachments, not counting the text body
 */
public record SoakMail(int id, MailKind kind, int parts, byte[] content) {

    public SoakMail {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}
