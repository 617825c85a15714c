package org.peekaboo.amavis.soak;

import org.peekaboo.amavis.testing.SmtpReply;

/**
 * What became of one mail in the sending MTA's view.
 *
 * @param tempfails          attempts answered with a 4xx
 * @param connectionFailures attempts that got no final reply at all (amavis unreachable or
 *                           the connection lost); the MTA retries those too
 * @param last               the last reply, or null if the last attempt got none
 */
public record Outcome(SoakMail mail, Fate fate, int attempts, int tempfails, int connectionFailures,
                      SmtpReply last) {

    /** The MTA's verdict on a mail. */
    public enum Fate {
        /** amavis answered 250: passed on to the next hop. */
        DELIVERED,
        /** amavis answered 5xx: the MTA bounces it. */
        REJECTED,
        /** Still tempfailed when the soak's bound was reached: in the MTA's queue. */
        TEMPFAILED
    }
}
