package org.peekaboo.amavis.soak;

import java.time.Duration;

/**
 * A fault the soak will inject once {@code afterMails} mails have been sent for the first time.
 *
 * @param downtime how long the part stays down before it is started again
 */
public record PlannedFault(Fault fault, int afterMails, Duration downtime) {
}
