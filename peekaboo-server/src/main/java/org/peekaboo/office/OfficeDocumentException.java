package org.peekaboo.office;

import java.io.IOException;

/**
 * An Office document whose macros cannot be told: corrupt, truncated, encrypted, or beyond
 * the analysis' limits. The rule asking for the report ends {@code failed}, so such a
 * document is never passed for lack of evidence.
 */
public final class OfficeDocumentException extends IOException {
    private static final long serialVersionUID = 1L;

    public OfficeDocumentException(String message) {
        super(message);
    }

    public OfficeDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
