package org.peekaboo.amavis.soak;

import org.peekaboo.amavis.testing.ReceivedMail;

/**
 * A message at the sink as the soak tells it apart: its soak id and what it was sent as, both
 * null for a message that is no soak mail (a notification amavis sent).
 *
 * @param scanned whether amavis marked it {@code X-Virus-Scanned}, as it does every mail its
 *                scanner passed
 */
public record SinkMessage(String id, String expect, boolean scanned) {

    static SinkMessage of(ReceivedMail mail) {
        return new SinkMessage(mail.header(SoakMails.ID_HEADER), mail.header(SoakMails.EXPECT_HEADER),
                mail.header("X-Virus-Scanned") != null);
    }

    boolean bad() {
        return "bad".equals(expect);
    }

    /** The mail's number within its run, or -1 for a message that is no soak mail. */
    int mailId() {
        return id == null ? -1 : Integer.parseInt(id.substring(id.lastIndexOf('-') + 1).strip());
    }
}
