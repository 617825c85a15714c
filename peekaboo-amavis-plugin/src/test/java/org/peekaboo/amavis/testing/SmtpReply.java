package org.peekaboo.amavis.testing;

/**
 * The reply of an SMTP server to one command: the three-digit code and the text of all its
 * lines joined by newlines (enhanced status code included, as the server sent it).
 *
 * @param stage the command the reply answers, so that an early refusal is told from the verdict
 */
public record SmtpReply(String stage, int code, String text) {

    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    @Override
    public String toString() {
        return stage + " -> " + code + " " + text;
    }
}
