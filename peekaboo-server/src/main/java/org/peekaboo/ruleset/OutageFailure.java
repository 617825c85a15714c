package org.peekaboo.ruleset;

/**
 * A failure that may belong to an outage which the failing component reports once itself
 * (the database being unreachable, say). The ruleset then records it for the sample without
 * warning again: one line per outage is readable, one per sample buries it.
 */
public interface OutageFailure {

    /** Whether this failure is part of an outage that is already reported elsewhere. */
    boolean reportedAsOutage();
}
