package org.peekaboo.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * {@code [db] password_file}: a file whose first line is the database password (also used for
 * {@code [cortex] api_token_file} in analyzers.conf).
 *
 * <p>A file that every local user may read is refused rather than warned about: the password
 * would already be disclosed, a warning scrolls by unnoticed, and the fix (chmod o-r) is one
 * command. Group-readable is fine, so that the file can belong to root and group peekaboo.
 */
final class PasswordFile {
    private PasswordFile() {
    }

    static Secret read(SectionReader db, IniValue value, Path file) {
        return read(db, value, file, "the database password");
    }

    static Secret read(SectionReader db, IniValue value, Path file, String what) {
        if (readableByEveryone(db, value, file)) {
            throw db.error(value, file + " is readable by every user; restrict it, e.g. chmod o-rwx " + file);
        }
        String firstLine;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            firstLine = reader.readLine();
        } catch (NoSuchFileException e) {
            throw db.error(value, file + " does not exist");
        } catch (MalformedInputException e) {
            throw db.error(value, file + " is not UTF-8 text");
        } catch (IOException e) {
            throw db.error(value, "cannot read " + file + ": " + e);
        }
        if (firstLine == null || firstLine.isEmpty()) {
            throw db.error(value, "the first line of " + file + " is empty; it must be " + what);
        }
        return new Secret(firstLine);
    }

    /**
     * Refuses a secret written into a configuration file that every user may read, for the same
     * reasons as a readable password file: the secret is disclosed already. {@code what} names it.
     */
    static void requirePrivateConfigFile(SectionReader section, IniValue secret, String what) {
        Path file = secret.location().file();
        if (readableByEveryone(section, secret, file)) {
            throw section.error(secret, file + " holds " + what + " and is readable by every user; restrict it,"
                    + " e.g. chmod o-rwx " + file + " (group peekaboo may keep reading it), or move the secret to a"
                    + " file of its own");
        }
    }

    private static boolean readableByEveryone(SectionReader section, IniValue value, Path file) {
        // A file system without POSIX permissions (Windows) has no "other" to guard against.
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix == null) {
            return false;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = posix.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            throw section.error(value, file + " does not exist");
        } catch (IOException e) {
            throw section.error(value, "cannot read " + file + ": " + e);
        }
        return permissions.contains(PosixFilePermission.OTHERS_READ);
    }
}
