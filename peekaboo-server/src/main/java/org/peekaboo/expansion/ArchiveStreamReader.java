package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.arj.ArjArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.peekaboo.sample.SampleContent;

/**
 * Reads the archives that are one stream of entries: tar, cpio, ar and ARJ. Only regular files are
 * members; directories, links, devices and FIFOs hold no bytes to judge. Their entries are stored,
 * not compressed (ARJ's compressed methods are not read at all), so no ratio applies.
 */
final class ArchiveStreamReader {

    void read(SampleContent content, ContainerFormat format, ExpansionBudget budget, ArchiveMembers members)
            throws IOException {
        try (InputStream packed = content.openStream();
             ArchiveInputStream<? extends ArchiveEntry> in = open(format, packed)) {
            ArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                budget.checkTime();
                if (!isRegularFile(entry)) {
                    continue;
                }
                String path = entry.getName();
                budget.countMember(path);
                if (!in.canReadEntryData(entry)) {
                    members.add(new Finding(Finding.Kind.UNSUPPORTED, "\"" + path + "\" in the "
                            + ArchiveMembers.label(format) + " is packed with a method Peekaboo cannot read"));
                    continue;
                }
                members.add(budget.copy(in, path, 0), path);
            }
        }
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(ContainerFormat format, InputStream packed)
            throws IOException {
        try {
            return switch (format) {
                case TAR -> new TarArchiveInputStream(packed);
                case CPIO -> new CpioArchiveInputStream(packed);
                case AR -> new ArArchiveInputStream(packed);
                case ARJ -> new ArjArchiveInputStream(packed);
                default -> throw new IllegalArgumentException(format + " is not a stream of entries");
            };
        } catch (ArchiveException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static boolean isRegularFile(ArchiveEntry entry) {
        if (entry.isDirectory()) {
            return false;
        }
        if (entry instanceof TarArchiveEntry tar) {
            return !(tar.isSymbolicLink() || tar.isLink() || tar.isCharacterDevice() || tar.isBlockDevice()
                    || tar.isFIFO() || tar.isGlobalPaxHeader() || tar.isPaxHeader());
        }
        if (entry instanceof CpioArchiveEntry cpio) {
            return cpio.isRegularFile();
        }
        return true;
    }
}
