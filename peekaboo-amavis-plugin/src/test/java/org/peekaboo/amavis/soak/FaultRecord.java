package org.peekaboo.amavis.soak;

import java.time.Duration;

/**
 * A fault as it happened.
 *
 * @param atMail   how many mails had been sent for the first time when it struck
 * @param at       when it struck, from the start of the run
 * @param outage   from the fault until the part answered again (the restarted daemon a ping,
 *                 the database a connection)
 * @param detail   what shows it happened: the old and new daemon's process ids and exit code
 */
public record FaultRecord(Fault fault, int atMail, Duration at, Duration outage, String detail) {
}
