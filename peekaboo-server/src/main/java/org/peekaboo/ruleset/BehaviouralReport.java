package org.peekaboo.ruleset;

import java.util.List;
import java.util.OptionalDouble;

/**
 * What a behavioural sandbox found when it ran the sample: Cuckoo or CAPE, reached through
 * their Cortex analyzers. The sandbox rules ({@code cuckoo_*}, {@code requests_evil_domain})
 * read this rather than a particular analyzer's report, so either sandbox serves them.
 */
public interface BehaviouralReport {

    /** The sandbox's score (Cuckoo's scale is 0 to 10 but may exceed it); empty when it gave none. */
    OptionalDouble score();

    /** Descriptions of the behavioural signatures that matched. */
    List<String> signatureDescriptions();

    /** DNS names the sample looked up or contacted. */
    List<String> requestedDomains();

    /** The sandbox's own error and status messages about the run, empty when it reported none. */
    List<String> messages();
}
