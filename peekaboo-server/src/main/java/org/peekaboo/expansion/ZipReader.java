package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.peekaboo.sample.SampleContent;

/**
 * Reads a ZIP archive by its central directory, as unzip and Windows do, so Peekaboo judges the
 * members a recipient sees; encrypted entries go to {@link EncryptedZipEntries}. An archive without a
 * readable central directory (truncated, mostly) is read by its local headers instead, as far as they
 * go, and is reported unreadable whatever they give: its end, and maybe members, are missing.
 */
final class ZipReader {

    void read(SampleContent content, Passwords passwords, ExpansionBudget budget, ArchiveMembers members)
            throws IOException {
        Path file = content.file();
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(file).setCharset(StandardCharsets.UTF_8).setUseUnicodeExtraFields(true).get();
        } catch (IOException | RuntimeException e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            readLocalHeaders(content, message(e), budget, members);
            return;
        }
        try (zip; EncryptedZipEntries encrypted = new EncryptedZipEntries(file, passwords, budget)) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                budget.checkTime();
                if (entry.isDirectory()) {
                    continue;
                }
                String path = ZipNames.of(entry);
                budget.countMember(path);
                long packed = packedSize(entry, content);
                if (entry.getGeneralPurposeBit().usesEncryption()) {
                    encrypted.read(entry.getLocalHeaderOffset(), path, packed, members);
                } else if (!zip.canReadEntryData(entry) || needsAbsentLibrary(entry)) {
                    members.add(unsupported(entry, path));
                } else {
                    readEntry(zip, entry, path, packed, budget, members);
                }
            }
        }
    }

    /** One entry; a corrupt one is reported and the others are read all the same (the directory says where). */
    private static void readEntry(ZipFile zip, ZipArchiveEntry entry, String path, long packed, ExpansionBudget budget,
                                  ArchiveMembers members) throws IOException {
        try (InputStream in = new ZipCheckedStream(zip.getInputStream(entry), entry)) {
            members.add(budget.copy(in, path, packed), path);
        } catch (IOException | RuntimeException e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            members.add(members.findingFor(e, "at \"" + path + "\""));
        }
    }

    private static void readLocalHeaders(SampleContent content, String directoryProblem, ExpansionBudget budget,
                                         ArchiveMembers members) throws IOException {
        int before = members.count();
        try (InputStream raw = content.openStream();
             ZipArchiveInputStream in = new ZipArchiveInputStream(raw, StandardCharsets.UTF_8.name(), true, true, true)) {
            ZipArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                budget.checkTime();
                if (entry.isDirectory()) {
                    continue;
                }
                String path = ZipNames.of(entry);
                budget.countMember(path);
                if (entry.getGeneralPurposeBit().usesEncryption()) {
                    // zip4j decrypts only what a central directory describes.
                    members.add(new Finding(Finding.Kind.UNREADABLE, "\"" + path + "\" is encrypted and the ZIP"
                            + " archive's directory cannot be read to decrypt it"));
                } else if (!in.canReadEntryData(entry) || needsAbsentLibrary(entry)) {
                    members.add(unsupported(entry, path));
                } else {
                    members.add(budget.copy(new ZipCheckedStream(in, entry), path, packedSize(entry, content)), path);
                }
            }
        } catch (IOException | RuntimeException | StackOverflowError e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            members.add(new Finding(Finding.Kind.UNREADABLE, "ZIP archive has no readable central directory ("
                    + directoryProblem + ") and is corrupt or truncated after " + (members.count() - before)
                    + " members: " + message(e)));
            return;
        }
        int read = members.count() - before;
        members.add(new Finding(Finding.Kind.UNREADABLE, read == 0
                ? "not a readable ZIP archive: " + directoryProblem
                : "ZIP archive has no readable central directory (" + directoryProblem + "); " + read
                        + " members were read from their local headers"));
    }

    /**
     * What the ratio limit divides by: the declared compressed size, never more than the whole
     * archive (a forged size must not hide a bomb), the archive when unknown; 0 for stored entries.
     */
    private static long packedSize(ZipArchiveEntry entry, SampleContent content) {
        if (entry.getMethod() == ZipMethod.STORED.getCode()) {
            return 0;
        }
        long declared = entry.getCompressedSize();
        return declared < 0 ? content.size() : Math.min(declared, content.size());
    }

    /**
     * Commons Compress claims Zstandard entries but reads them with zstd-jni, which Peekaboo does not
     * ship: reading one would end in a NoClassDefFoundError.
     */
    private static boolean needsAbsentLibrary(ZipArchiveEntry entry) {
        int method = entry.getMethod();
        return method == ZipMethod.ZSTD.getCode() || method == ZipMethod.ZSTD_DEPRECATED.getCode();
    }

    private static Finding unsupported(ZipArchiveEntry entry, String path) {
        ZipMethod method = ZipMethod.getMethodByCode(entry.getMethod());
        return new Finding(Finding.Kind.UNSUPPORTED, "\"" + path + "\" is packed with a method Peekaboo cannot read ("
                + (method == null || method == ZipMethod.UNKNOWN ? "method " + entry.getMethod() : method.name()) + ")");
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
