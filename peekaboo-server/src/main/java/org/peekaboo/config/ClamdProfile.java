package org.peekaboo.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Which mail filter a clamd listener serves. clamd has no "try again later" answer, and the
 * clients read the candidates differently (docs/clamd.md): an ERROR line defers the mail at Exim,
 * clamav-milter and amavis (with D_TEMPFAIL) but lets it pass at rspamd, where only a
 * {@code Heuristics.Limits.Exceeded…} FOUND turns into a symbol that can soft-reject.
 */
public enum ClamdProfile {
    GENERIC,
    EXIM,
    CLAMAV_MILTER,
    AMAVIS,
    RSPAMD;

    /** Whether an undecided file is answered with a FOUND line rather than an ERROR line. */
    public boolean uncheckedAsFound() {
        return this == RSPAMD;
    }

    /** The name in the configuration, e.g. {@code clamav-milter}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<ClamdProfile> parse(String label) {
        for (ClamdProfile profile : values()) {
            if (profile.label().equals(label)) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }
}
