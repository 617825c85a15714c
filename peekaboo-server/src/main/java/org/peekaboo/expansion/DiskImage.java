package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.peekaboo.sample.SampleContent;

/**
 * Disk images as mail droppers send them (Qakbot, IcedID, Bumblebee): ISO 9660 (with Joliet and Rock
 * Ridge names), raw FAT12/16/32 images (.img, .ima), disks with an MBR or GPT partition table, VHD
 * (fixed and dynamic) and NTFS volumes in them. Windows mounts each of these on a double-click, and
 * before the patch of November 2022 the files inside carried no mark of the web. Recognised by
 * content; listed within fixed limits ({@link DiskListing}). VHDX, UDF without an ISO 9660 tree and
 * differencing VHDs are recognised but not read.
 */
public final class DiskImage {
    private static final int MAX_PARTITIONS = 128;

    private DiskImage() {
    }

    /**
     * What an image held: its kind ("ISO 9660 image"), its files, and what stopped the listing (null
     * when nothing did): a damaged image, a limit, a format Peekaboo cannot read.
     */
    public record Listing(String kind, List<Entry> files, String problem) {
        public Listing {
            files = List.copyOf(files);
        }
    }

    /**
     * One file of an image.
     *
     * @param path its path inside the image, {@code /}-separated
     * @param size its size, or -1 when only its name could be read
     * @param head its first bytes (at most as many as asked for), empty when they cannot be read
     */
    public record Entry(String path, long size, byte[] head) {
    }

    /** The files of an image as the expansion reads them, valid while the image is open. */
    record Files(String kind, List<DiskFile> files, String problem) {
    }

    /**
     * The kind of disk image {@code content} is, by its content; empty for anything else. Most files are
     * ruled out by their head and last sector alone, without a file of the spool being written.
     */
    public static Optional<String> kindOf(SampleContent content) throws IOException {
        if (!mayBeImage(content)) {
            return Optional.empty();
        }
        byte[] head = content.head().toByteArray();
        if (content.size() <= head.length) {
            return kindOf(DiskSource.of(head));
        }
        try (FileChannel channel = FileChannel.open(content.file(), StandardOpenOption.READ)) {
            return kindOf(DiskSource.of(channel));
        }
    }

    /** Whether a signature of some image is where it would be: a boot sector, a descriptor, a footer. */
    private static boolean mayBeImage(SampleContent content) throws IOException {
        byte[] head = content.head().toByteArray();
        if (head.length >= 512 && (head[510] & 0xFF) == 0x55 && (head[511] & 0xFF) == 0xAA
                || startsWith(head, 0, "vhdxfile") || startsWith(head, 0, "conectix")) {
            return true;
        }
        int descriptor = 16 * IsoVolume.SECTOR + 1;
        if (startsWith(head, descriptor, "CD001") || startsWith(head, descriptor, "BEA01")) {
            return true;
        }
        if (content.size() < VhdDisk.FOOTER) {
            return false;
        }
        try (InputStream in = content.openStream()) {
            in.skipNBytes(content.size() - VhdDisk.FOOTER);
            return startsWith(in.readNBytes(8), 0, "conectix");
        }
    }

    private static boolean startsWith(byte[] bytes, int at, String signature) {
        if (bytes.length < at + signature.length()) {
            return false;
        }
        for (int i = 0; i < signature.length(); i++) {
            if (bytes[at + i] != signature.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #list(Path, int)}, for a sample's content. */
    public static Listing list(SampleContent content, int headLength) throws IOException {
        return list(content.file(), headLength);
    }

    static Optional<String> kindOf(DiskSource source) throws IOException {
        if (isVhdx(source)) {
            return Optional.of("VHDX image");
        }
        if (VhdDisk.type(source) != 0) {
            return Optional.of("VHD image");
        }
        if (IsoVolume.recognise(source)) {
            return Optional.of("ISO 9660 image");
        }
        if (IsoVolume.recogniseUdf(source)) {
            return Optional.of("UDF image");
        }
        return volumeKind(source).or(() -> partitions(source).isEmpty() ? Optional.empty()
                : Optional.of("partitioned disk image"));
    }

    /**
     * Lists {@code file} with the first {@code headLength} bytes of each file; never throws for what is
     * in the content (a file that is no image gives a problem).
     */
    public static Listing list(Path file, int headLength) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Files files = files(DiskSource.of(channel));
            List<Entry> entries = new ArrayList<>(files.files().size());
            String problem = files.problem();
            for (DiskFile diskFile : files.files()) {
                byte[] head;
                if (!diskFile.readable()) {
                    problem = problem != null ? problem : "the content of \"" + diskFile.path() + "\" cannot be read";
                }
                try {
                    head = diskFile.head(headLength);
                } catch (IOException | RuntimeException e) {
                    head = new byte[0];
                    problem = problem != null ? problem : "the content of \"" + diskFile.path() + "\" cannot be read";
                }
                entries.add(new Entry(diskFile.path(), diskFile.size(), head));
            }
            return new Listing(files.kind(), entries, problem);
        }
    }

    /** The files of the image; never throws for what is in the content. */
    static Files files(DiskSource source) {
        DiskListing listing = new DiskListing();
        String kind = "disk image";
        try {
            Optional<String> recognised = kindOf(source);
            if (recognised.isEmpty()) {
                return new Files(kind, List.of(), "it is no disk image Peekaboo knows");
            }
            kind = recognised.get();
            switch (kind) {
                case "VHDX image" -> throw new IOException("Peekaboo cannot read VHDX images");
                case "UDF image" -> throw new IOException("it has only a UDF file system, which Peekaboo cannot read");
                case "ISO 9660 image" -> IsoVolume.list(source, listing);
                case "VHD image" -> disk(VhdDisk.disk(source), listing);
                default -> disk(source, listing);
            }
            return new Files(kind, listing.files(), null);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Files(kind, listing.files(), message);
        }
    }

    private static boolean isVhdx(DiskSource source) throws IOException {
        return source.holds(0, 8) && new String(source.read(0, 8), StandardCharsets.ISO_8859_1).equals("vhdxfile");
    }

    private static Optional<String> volumeKind(DiskSource source) {
        try {
            if (FatVolume.recognise(source)) {
                return Optional.of("FAT image");
            }
            if (NtfsVolume.recognise(source)) {
                return Optional.of("NTFS image");
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A whole disk: one volume, or a partition table with volumes. */
    private static void disk(DiskSource disk, DiskListing listing) throws IOException {
        Optional<String> volume = volumeKind(disk);
        if (volume.isPresent()) {
            volume(disk, listing);
            return;
        }
        List<DiskSource> partitions = partitions(disk);
        if (partitions.isEmpty()) {
            throw new IOException("it holds neither a partition table nor a FAT or NTFS volume");
        }
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            if (volumeKind(partitions.get(i)).isPresent()) {
                volume(partitions.get(i), listing);
            } else {
                unknown.add("partition " + (i + 1));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IOException(String.join(", ", unknown) + " holds a file system Peekaboo cannot read");
        }
    }

    private static void volume(DiskSource volume, DiskListing listing) throws IOException {
        if (FatVolume.recognise(volume)) {
            FatVolume.list(volume, listing);
        } else {
            NtfsVolume.list(volume, listing);
        }
    }

    /**
     * The partitions of an MBR (or the GPT behind its protective entry); empty when the first sector is
     * no partition table with at least one plausible partition.
     */
    static List<DiskSource> partitions(DiskSource disk) {
        List<DiskSource> partitions = new ArrayList<>();
        try {
            if (!disk.holds(0, 512)) {
                return partitions;
            }
            byte[] mbr = disk.read(0, 512);
            if ((mbr[510] & 0xFF) != 0x55 || (mbr[511] & 0xFF) != 0xAA) {
                return partitions;
            }
            for (int i = 0; i < 4; i++) {
                int at = 446 + 16 * i;
                int status = mbr[at] & 0xFF;
                int type = mbr[at + 4] & 0xFF;
                long start = IsoVolume.u32le(mbr, at + 8) * 512;
                long length = IsoVolume.u32le(mbr, at + 12) * 512;
                if (status != 0 && status != 0x80) {
                    return List.of();
                }
                if (type == 0 || length == 0) {
                    continue;
                }
                if (type == 0xEE) {
                    return gpt(disk);
                }
                if (start == 0 || start >= disk.size()) {
                    return List.of();
                }
                // A partition running past the end of a truncated disk is read as far as it goes.
                partitions.add(disk.slice(start, Math.min(length, disk.size() - start)));
            }
        } catch (IOException e) {
            return List.of();
        }
        return partitions;
    }

    private static List<DiskSource> gpt(DiskSource disk) throws IOException {
        if (!disk.holds(512, 92) || !new String(disk.read(512, 8), StandardCharsets.ISO_8859_1).equals("EFI PART")) {
            return List.of();
        }
        byte[] header = disk.read(512, 92);
        long entriesAt = NtfsVolume.u64le(header, 72) * 512;
        long count = IsoVolume.u32le(header, 80);
        long size = IsoVolume.u32le(header, 84);
        if (count > MAX_PARTITIONS || size < 128 || size > 4096 || !disk.holds(entriesAt, count * size)) {
            return List.of();
        }
        List<DiskSource> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] entry = disk.read(entriesAt + i * size, 128);
            boolean used = false;
            for (int b = 0; b < 16; b++) {
                used |= entry[b] != 0;
            }
            long first = NtfsVolume.u64le(entry, 32) * 512;
            long last = NtfsVolume.u64le(entry, 40) * 512 + 511;
            if (used && first > 0 && last > first && first < disk.size()) {
                partitions.add(disk.slice(first, Math.min(last + 1, disk.size()) - first));
            }
        }
        return partitions;
    }
}
