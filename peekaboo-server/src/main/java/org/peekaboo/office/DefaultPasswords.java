package org.peekaboo.office;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import org.apache.poi.poifs.crypt.Decryptor;

/**
 * The passwords Office encrypts with when the user typed none, tried on every encrypted
 * document. Office opens such a document without asking, so its macros run like those of any
 * other document, and droppers encrypt with them only to blind scanners. A document that none
 * of them opens cannot run a macro unless its reader types the password.
 */
final class DefaultPasswords {
    /**
     * Excel's {@code VelvetSweatshop} (a workbook protected against changes only),
     * PowerPoint's {@code /01Hannes Ruescher/01}, and the empty password.
     */
    static final List<String> ALL = List.of("VelvetSweatshop", "/01Hannes Ruescher/01", "");

    private DefaultPasswords() {
    }

    /** The default password that {@code decryptor} accepts, which then holds its key; empty if none does. */
    static Optional<String> unlock(Decryptor decryptor) throws GeneralSecurityException {
        for (String password : ALL) {
            if (decryptor.verifyPassword(password)) {
                return Optional.of(password);
            }
        }
        return Optional.empty();
    }
}
