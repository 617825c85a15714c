package org.peekaboo.expansion;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.exception.ZipException;
import net.lingala.zip4j.model.FileHeader;

/**
 * Opens the encrypted entries of one ZIP file (ZipCrypto and WinZip AES) with zip4j, which Commons
 * Compress cannot: each candidate password in turn, the one that opened the previous entry first
 * (an archive rarely has two). The zip4j view of the file is made at the first encrypted entry;
 * entries are matched to it by the offset of their local header, which no name encoding can garble.
 * Not thread-safe; one per ZIP file read.
 */
final class EncryptedZipEntries implements Closeable {
    private final Path file;
    private final List<String> candidates;
    private final ExpansionBudget budget;
    private ZipFile zip;
    private Map<Long, FileHeader> byOffset;
    private String lastOpening;
    /** Why zip4j could not read the directory, once it could not. */
    private String unreadable;

    EncryptedZipEntries(Path file, Passwords passwords, ExpansionBudget budget) {
        this.file = file;
        this.candidates = passwords.candidates();
        this.budget = budget;
    }

    /**
     * Reads the encrypted entry whose local header is at {@code offset} into a member named
     * {@code path}, or adds a finding saying why it cannot.
     *
     * @throws IOException when a limit is reached or Peekaboo stops; nothing else
     */
    void read(long offset, String path, long packedSize, ArchiveMembers members) throws IOException {
        FileHeader header;
        try {
            header = headers().get(offset);
        } catch (IOException | RuntimeException e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            members.add(new Finding(Finding.Kind.UNREADABLE, quoted(path) + " is encrypted and the ZIP archive's"
                    + " directory cannot be read to decrypt it: " + e.getMessage()));
            return;
        }
        if (header == null) {
            members.add(new Finding(Finding.Kind.UNREADABLE, quoted(path) + " is encrypted and the ZIP archive's"
                    + " directory cannot be read to decrypt it"));
            return;
        }
        String password;
        try {
            password = findPassword(header, packedSize);
        } catch (Unsupported e) {
            members.add(new Finding(Finding.Kind.UNREADABLE, quoted(path) + " is encrypted or packed with a method"
                    + " Peekaboo cannot read: " + e.getMessage()));
            return;
        }
        if (password == null) {
            members.add(new Finding(Finding.Kind.ENCRYPTED, quoted(path) + " is encrypted and none of "
                    + candidates.size() + " passwords opened it"));
            return;
        }
        zip.setPassword(password.toCharArray());
        try (InputStream in = zip.getInputStream(header)) {
            members.add(budget.copy(in, path, packedSize), path);
        } catch (IOException | RuntimeException e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            members.add(members.findingFor(e, "at " + quoted(path)));
        }
    }

    /** The password that opens the entry, or null when none does. */
    private String findPassword(FileHeader header, long packedSize) throws IOException, Unsupported {
        List<String> order = new ArrayList<>(candidates.size());
        if (lastOpening != null) {
            order.add(lastOpening);
        }
        for (String candidate : candidates) {
            if (!candidate.equals(lastOpening)) {
                order.add(candidate);
            }
        }
        for (String candidate : order) {
            budget.checkTime();
            if (opens(header, candidate, packedSize)) {
                lastOpening = candidate;
                return candidate;
            }
        }
        return null;
    }

    private boolean opens(FileHeader header, String password, long packedSize) throws IOException, Unsupported {
        if (password.isEmpty()) {
            return false;
        }
        zip.setPassword(password.toCharArray());
        try (InputStream in = zip.getInputStream(header)) {
            EncryptedTrial.readThrough(in, EncryptedTrial.cap(budget, packedSize), budget);
            return true;
        } catch (ZipException e) {
            if (e.getType() == ZipException.Type.UNSUPPORTED_ENCRYPTION
                    || e.getType() == ZipException.Type.UNKNOWN_COMPRESSION_METHOD) {
                throw new Unsupported(e.getMessage());
            }
            return false;
        } catch (IOException | RuntimeException e) {
            // A wrong password that passed the header check: the inflater chokes on the garbage, or the CRC fails.
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            return false;
        }
    }

    private Map<Long, FileHeader> headers() throws IOException {
        if (unreadable != null) {
            // Once is enough: the directory will not read better for the next entry.
            throw new IOException(unreadable);
        }
        if (byOffset == null) {
            try {
                zip = new ZipFile(file.toFile());
                Map<Long, FileHeader> headers = new HashMap<>();
                for (FileHeader header : zip.getFileHeaders()) {
                    headers.putIfAbsent(header.getOffsetLocalHeader(), header);
                }
                byOffset = headers;
            } catch (IOException | RuntimeException e) {
                unreadable = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw e;
            }
        }
        return byOffset;
    }

    private static String quoted(String path) {
        return '"' + path + '"';
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }

    /** zip4j cannot read the entry's encryption or compression method, whatever the password. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }
}
