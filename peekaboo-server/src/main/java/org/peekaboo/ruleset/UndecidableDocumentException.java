package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.Objects;

/**
 * A document whose content can never be analysed, however often it is retried: encrypted
 * with an unknown password, or corrupt, truncated, of an unsupported variant, or beyond the
 * analysis' limits. Rules that know this give a configured final result instead of failing,
 * because a failure makes the mail gateway defer the mail until it bounces days later.
 */
public class UndecidableDocumentException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the document cannot be analysed; each has its own configured result. */
    public enum Kind {
        /** Encrypted with a password none of the known ones opens. */
        ENCRYPTED,
        /** Corrupt, truncated, unsupported or beyond a limit. */
        UNREADABLE
    }

    private final Kind kind;

    public UndecidableDocumentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
