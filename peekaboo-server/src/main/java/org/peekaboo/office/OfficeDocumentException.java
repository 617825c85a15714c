package org.peekaboo.office;

import org.peekaboo.ruleset.UndecidableDocumentException;

/**
 * An Office document whose macros can never be told: corrupt, truncated, encrypted with a
 * password other than Office's default ones, or beyond the analysis' limits. The Office rules
 * answer their configured {@code encrypted_result} or {@code unreadable_result}; expressions
 * that read the {@code olereport} fail, so such a document is never passed for lack of evidence.
 */
public final class OfficeDocumentException extends UndecidableDocumentException {
    private static final long serialVersionUID = 1L;

    /** The document cannot be read: corrupt, truncated, unsupported or beyond a limit. */
    public OfficeDocumentException(String message) {
        this(message, null);
    }

    /** The document cannot be read, as {@code cause} says. */
    public OfficeDocumentException(String message, Throwable cause) {
        super(Kind.UNREADABLE, message, cause);
    }

    private OfficeDocumentException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** The document is encrypted and none of Office's default passwords opens it. */
    public static OfficeDocumentException encrypted(String message) {
        return new OfficeDocumentException(Kind.ENCRYPTED, message, null);
    }

    /**
     * This failure with {@code prefix} taken off its message: the name of a private copy means
     * nothing to the people who read the reason.
     */
    OfficeDocumentException withoutPrefix(String prefix) {
        String message = getMessage();
        if (message == null || !message.startsWith(prefix)) {
            return this;
        }
        OfficeDocumentException shorter = new OfficeDocumentException(kind(), message.substring(prefix.length()),
                getCause());
        shorter.setStackTrace(getStackTrace());
        return shorter;
    }
}
