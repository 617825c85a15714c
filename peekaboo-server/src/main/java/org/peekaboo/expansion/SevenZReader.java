package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.PasswordRequiredException;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.peekaboo.sample.SampleContent;

/**
 * Reads a 7z archive with Commons Compress. An encrypted one (AES-256, its directory encrypted or
 * not) is opened with the first candidate password that unpacks its first member without error; each
 * try derives a key with 2^19 rounds of SHA-256, so the time limit is checked between tries. A solid
 * archive does not say how large each member was packed: the ratio of a member is taken against the
 * whole archive.
 */
final class SevenZReader {

    void read(SampleContent content, Passwords passwords, ExpansionBudget budget, ArchiveMembers members)
            throws IOException {
        Path file = content.file();
        List<String> candidates = passwords.candidates();
        String password = null;
        boolean directoryEncrypted = false;
        try {
            if (firstMemberEncrypted(file)) {
                password = findPassword(file, candidates, budget, content.size());
            }
        } catch (PasswordRequiredException e) {
            directoryEncrypted = true;
            password = findPassword(file, candidates, budget, content.size());
        }
        if (directoryEncrypted && password == null) {
            members.add(new Finding(Finding.Kind.ENCRYPTED, "7z archive is encrypted, its list of members too, and"
                    + " none of " + candidates.size() + " passwords opened it"));
            return;
        }
        try (SevenZFile archive = open(file, password)) {
            SevenZArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                budget.checkTime();
                if (!isFile(entry)) {
                    continue;
                }
                String path = entry.getName();
                budget.countMember(path);
                try {
                    members.add(budget.copy(new CurrentEntry(archive), path, content.size()), path);
                } catch (PasswordRequiredException e) {
                    // Only when no candidate opened the first member; members in other folders may be plain.
                    members.add(new Finding(Finding.Kind.ENCRYPTED, "\"" + path + "\" is encrypted and none of "
                            + candidates.size() + " passwords opened it"));
                }
            }
        }
    }

    /** Whether the first member with bytes needs a password; throws one when the directory does. */
    private static boolean firstMemberEncrypted(Path file) throws IOException {
        try (SevenZFile archive = open(file, null)) {
            SevenZArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                if (isFile(entry)) {
                    try {
                        archive.read();
                        return false;
                    } catch (PasswordRequiredException e) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The first candidate that opens the archive and unpacks its first member to the end, or null. */
    private static String findPassword(Path file, List<String> candidates, ExpansionBudget budget, long packedSize)
            throws IOException {
        for (String candidate : candidates) {
            budget.checkTime();
            if (!candidate.isEmpty() && opens(file, candidate, budget, packedSize)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean opens(Path file, String password, ExpansionBudget budget, long packedSize) throws IOException {
        try (SevenZFile archive = open(file, password)) {
            SevenZArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                if (isFile(entry)) {
                    // A wrong key gives garbage: the LZMA decoder rejects it or the CRC at the end does.
                    EncryptedTrial.readThrough(new CurrentEntry(archive), EncryptedTrial.cap(budget, packedSize), budget);
                    return true;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            return false;
        }
    }

    private static SevenZFile open(Path file, String password) throws IOException {
        SevenZFile.Builder builder = SevenZFile.builder().setPath(file).setMaxMemoryLimitKiB(ArchiveReader.MEMORY_LIMIT_KIB);
        if (password != null) {
            builder.setPassword(password.toCharArray());
        }
        return builder.get();
    }

    private static boolean isFile(SevenZArchiveEntry entry) {
        return entry.hasStream() && !entry.isDirectory() && !entry.isAntiItem();
    }

    /** The bytes of the archive's current entry, as a stream for {@link ExpansionBudget#copy}. */
    private static final class CurrentEntry extends InputStream {
        private final SevenZFile archive;

        CurrentEntry(SevenZFile archive) {
            this.archive = archive;
        }

        @Override
        public int read() throws IOException {
            return archive.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return archive.read(buffer, offset, length);
        }
    }
}
