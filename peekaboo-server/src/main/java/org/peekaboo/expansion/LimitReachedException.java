package org.peekaboo.expansion;

import java.io.IOException;

/**
 * A limit of {@link ExpansionBudget} is reached: the reader stops, keeps the members read so far and
 * reports {@link #finding()}. An {@link IOException} so that it passes through the libraries' streams.
 */
public final class LimitReachedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Finding finding;

    public LimitReachedException(Finding finding) {
        super(finding.detail(), null);
        this.finding = finding;
    }

    public Finding finding() {
        return finding;
    }
}
