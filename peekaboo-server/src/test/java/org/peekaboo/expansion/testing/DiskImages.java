package org.peekaboo.expansion.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes small disk images in memory for tests: ISO 9660 (optionally with a Joliet tree), FAT12 floppy
 * images with long names, MBR disks and VHDs (fixed and dynamic) around them. Files are given as
 * {@code path -> bytes}, {@code /}-separated; directories are made as the paths need them. Nothing in
 * them runs: the "programs" tests put in are "MZ" and padding.
 */
public final class DiskImages {
    private static final int ISO_SECTOR = 2048;
    private static final int SECTOR = 512;

    private DiskImages() {
    }

    /** A fake program: an MZ header and padding, nothing that runs. */
    public static byte[] fakeProgram() {
        byte[] bytes = new byte[256];
        bytes[0] = 'M';
        bytes[1] = 'Z';
        return bytes;
    }

    /** A Shell Link header (the 76-byte header with its CLSID), no target: nothing that runs. */
    public static byte[] fakeShortcut() {
        byte[] link = new byte[76];
        link[0] = 0x4C;
        byte[] clsid = {0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x46};
        System.arraycopy(clsid, 0, link, 4, 16);
        return link;
    }

    /** A tree of directories and files, in the order given. */
    private static final class Node {
        final String name;
        final byte[] data;
        final Map<String, Node> children = new LinkedHashMap<>();
        int location;
        int jolietLocation;

        Node(String name, byte[] data) {
            this.name = name;
            this.data = data;
        }

        boolean directory() {
            return data == null;
        }
    }

    private static Node tree(Map<String, byte[]> files) {
        Node root = new Node("", null);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String[] parts = file.getKey().split("/");
            Node at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.children.computeIfAbsent(parts[i], name -> new Node(name, null));
            }
            at.children.put(parts[parts.length - 1], new Node(parts[parts.length - 1], file.getValue()));
        }
        return root;
    }

    // ---------------------------------------------------------------- ISO 9660

    /** An ISO 9660 image of {@code files}; with {@code joliet} a Joliet tree with the names as given. */
    public static byte[] iso(Map<String, byte[]> files, boolean joliet) {
        return iso(files, joliet, false);
    }

    /** As {@link #iso}, with a subdirectory {@code loop} whose record points at the root directory. */
    public static byte[] isoWithLoop(Map<String, byte[]> files) {
        return iso(files, false, true);
    }

    private static byte[] iso(Map<String, byte[]> files, boolean joliet, boolean loop) {
        Node root = tree(files);
        int next = 16 + (joliet ? 3 : 2);
        List<Node> directories = new ArrayList<>();
        collectDirectories(root, directories);
        for (Node directory : directories) {
            directory.location = next++;
        }
        if (joliet) {
            for (Node directory : directories) {
                directory.jolietLocation = next++;
            }
        }
        List<Node> plain = new ArrayList<>();
        collectFiles(root, plain);
        for (Node file : plain) {
            file.location = next;
            next += Math.max(1, (file.data.length + ISO_SECTOR - 1) / ISO_SECTOR);
        }
        byte[] image = new byte[next * ISO_SECTOR];
        writeDescriptor(image, 16, 1, root, false);
        if (joliet) {
            writeDescriptor(image, 17, 2, root, true);
        }
        int terminator = 16 + (joliet ? 2 : 1);
        image[terminator * ISO_SECTOR] = (byte) 255;
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, image, terminator * ISO_SECTOR + 1, 5);
        image[terminator * ISO_SECTOR + 6] = 1;
        for (Node directory : directories) {
            writeDirectory(image, directory, root, false, loop);
            if (joliet) {
                writeDirectory(image, directory, root, true, false);
            }
        }
        for (Node file : plain) {
            System.arraycopy(file.data, 0, image, file.location * ISO_SECTOR, file.data.length);
        }
        return image;
    }

    private static void collectDirectories(Node node, List<Node> into) {
        into.add(node);
        for (Node child : node.children.values()) {
            if (child.directory()) {
                collectDirectories(child, into);
            }
        }
    }

    private static void collectFiles(Node node, List<Node> into) {
        for (Node child : node.children.values()) {
            if (child.directory()) {
                collectFiles(child, into);
            } else {
                into.add(child);
            }
        }
    }

    private static void writeDescriptor(byte[] image, int sector, int type, Node root, boolean joliet) {
        int at = sector * ISO_SECTOR;
        image[at] = (byte) type;
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, image, at + 1, 5);
        image[at + 6] = 1;
        if (joliet) {
            image[at + 88] = '%';
            image[at + 89] = '/';
            image[at + 90] = 'E';
        }
        byte[] record = record(new byte[] {0}, joliet ? root.jolietLocation : root.location, ISO_SECTOR, true);
        System.arraycopy(record, 0, image, at + 156, record.length);
    }

    private static void writeDirectory(byte[] image, Node directory, Node root, boolean joliet,
                                       boolean loop) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int self = joliet ? directory.jolietLocation : directory.location;
        out.writeBytes(record(new byte[] {0}, self, ISO_SECTOR, true));
        out.writeBytes(record(new byte[] {1}, self, ISO_SECTOR, true));
        for (Node child : directory.children.values()) {
            byte[] name = joliet ? (child.name + (child.directory() ? "" : ";1")).getBytes(StandardCharsets.UTF_16BE)
                    : isoName(child.name, child.directory()).getBytes(StandardCharsets.US_ASCII);
            int location = child.directory() ? (joliet ? child.jolietLocation : child.location) : child.location;
            out.writeBytes(record(name, location, child.directory() ? ISO_SECTOR : child.data.length,
                    child.directory()));
        }
        if (loop && directory == root) {
            out.writeBytes(record("LOOP".getBytes(StandardCharsets.US_ASCII), root.location, ISO_SECTOR, true));
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > ISO_SECTOR) {
            throw new IllegalArgumentException("too many entries for one directory sector");
        }
        System.arraycopy(bytes, 0, image, self * ISO_SECTOR, bytes.length);
    }

    /** The 8.3 name of the primary tree, upper case, with its version. */
    private static String isoName(String name, boolean directory) {
        String upper = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9._]", "_");
        int dot = upper.lastIndexOf('.');
        String base = dot < 0 ? upper : upper.substring(0, dot);
        String extension = dot < 0 ? "" : upper.substring(dot + 1);
        base = base.replace('.', '_');
        base = base.substring(0, Math.min(8, base.length()));
        extension = extension.substring(0, Math.min(3, extension.length()));
        return directory ? base : base + "." + extension + ";1";
    }

    private static byte[] record(byte[] name, int location, int size, boolean directory) {
        int length = 33 + name.length + ((name.length & 1) == 0 ? 1 : 0);
        ByteBuffer record = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        record.put((byte) length).put((byte) 0);
        record.putInt(location).order(ByteOrder.BIG_ENDIAN).putInt(location).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(size).order(ByteOrder.BIG_ENDIAN).putInt(size).order(ByteOrder.LITTLE_ENDIAN);
        record.put(new byte[] {124, 1, 1, 0, 0, 0, 0});
        record.put((byte) (directory ? 2 : 0)).put((byte) 0).put((byte) 0);
        record.putShort((short) 1).order(ByteOrder.BIG_ENDIAN).putShort((short) 1).order(ByteOrder.LITTLE_ENDIAN);
        record.put((byte) name.length).put(name);
        return record.array();
    }

    // ---------------------------------------------------------------- FAT12

    private static final int FAT_SECTORS = 9;
    private static final int ROOT_ENTRIES = 224;
    private static final int TOTAL_SECTORS = 2880;
    private static final int DATA_START = 1 + 2 * FAT_SECTORS + ROOT_ENTRIES * 32 / SECTOR;

    /** A 1.44 MB FAT12 floppy image of {@code files}, long names where the name is no upper-case 8.3 name. */
    public static byte[] fat12(Map<String, byte[]> files) {
        return fat12(files, false);
    }

    /** As {@link #fat12}, with the cluster chain of the first file of more than one cluster pointing at itself. */
    public static byte[] fat12WithChainLoop(Map<String, byte[]> files) {
        return fat12(files, true);
    }

    private static byte[] fat12(Map<String, byte[]> files, boolean chainLoop) {
        byte[] image = new byte[TOTAL_SECTORS * SECTOR];
        ByteBuffer boot = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        image[0] = (byte) 0xEB;
        image[1] = 0x3C;
        image[2] = (byte) 0x90;
        System.arraycopy("MSWIN4.1".getBytes(StandardCharsets.US_ASCII), 0, image, 3, 8);
        boot.putShort(11, (short) SECTOR);
        image[13] = 1;
        boot.putShort(14, (short) 1);
        image[16] = 2;
        boot.putShort(17, (short) ROOT_ENTRIES);
        boot.putShort(19, (short) TOTAL_SECTORS);
        image[21] = (byte) 0xF0;
        boot.putShort(22, (short) FAT_SECTORS);
        boot.putShort(24, (short) 18);
        boot.putShort(26, (short) 2);
        image[38] = 0x29;
        System.arraycopy("NO NAME    FAT12   ".getBytes(StandardCharsets.US_ASCII), 0, image, 43, 19);
        image[510] = 0x55;
        image[511] = (byte) 0xAA;
        int[] fat = new int[TOTAL_SECTORS];
        fat[0] = 0xFF0;
        fat[1] = 0xFFF;
        int[] nextCluster = {2};
        boolean[] looped = {!chainLoop};
        Node root = tree(files);
        byte[] rootDirectory = fatDirectory(image, root, 0, 0, fat, nextCluster, looped);
        if (rootDirectory.length > ROOT_ENTRIES * 32) {
            throw new IllegalArgumentException("too many root entries");
        }
        System.arraycopy(rootDirectory, 0, image, (1 + 2 * FAT_SECTORS) * SECTOR, rootDirectory.length);
        for (int copy = 0; copy < 2; copy++) {
            int at = (1 + copy * FAT_SECTORS) * SECTOR;
            for (int cluster = 0; cluster < fat.length && cluster * 3 / 2 + 1 < FAT_SECTORS * SECTOR; cluster++) {
                int offset = at + cluster * 3 / 2;
                if ((cluster & 1) == 0) {
                    image[offset] = (byte) fat[cluster];
                    image[offset + 1] = (byte) ((image[offset + 1] & 0xF0) | (fat[cluster] >> 8 & 0x0F));
                } else {
                    image[offset] = (byte) ((image[offset] & 0x0F) | (fat[cluster] << 4 & 0xF0));
                    image[offset + 1] = (byte) (fat[cluster] >> 4);
                }
            }
        }
        return image;
    }

    /** Writes the directory's children (and their data) and returns its entries. */
    private static byte[] fatDirectory(byte[] image, Node directory, int self, int parent, int[] fat,
                                       int[] nextCluster, boolean[] looped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (self != 0) {
            out.writeBytes(shortEntry(".          ", 0x10, self, 0));
            out.writeBytes(shortEntry("..         ", 0x10, parent, 0));
        }
        int counter = 1;
        for (Node child : directory.children.values()) {
            String shortName = shortName(child.name, counter++);
            boolean needsLong = !child.name.equals(displayed(shortName));
            int first;
            int size;
            if (child.directory()) {
                first = nextCluster[0]++;
                fat[first] = 0xFFF;
                byte[] entries = fatDirectory(image, child, first, self, fat, nextCluster, looped);
                if (entries.length > SECTOR) {
                    throw new IllegalArgumentException("too many entries for one directory cluster");
                }
                System.arraycopy(entries, 0, image, (DATA_START + first - 2) * SECTOR, entries.length);
                size = 0;
            } else {
                int clusters = (child.data.length + SECTOR - 1) / SECTOR;
                first = clusters == 0 ? 0 : nextCluster[0];
                for (int i = 0; i < clusters; i++) {
                    int cluster = nextCluster[0]++;
                    fat[cluster] = i == clusters - 1 ? 0xFFF : cluster + 1;
                }
                if (!looped[0] && clusters > 1) {
                    fat[first + 1] = first;
                    looped[0] = true;
                }
                if (clusters > 0) {
                    System.arraycopy(child.data, 0, image, (DATA_START + first - 2) * SECTOR, child.data.length);
                }
                size = child.data.length;
            }
            byte[] entry = shortEntry(shortName, child.directory() ? 0x10 : 0x20, first, size);
            if (needsLong) {
                out.writeBytes(longEntries(child.name, checksum(entry)));
            }
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    private static String shortName(String name, int counter) {
        String upper = name.toUpperCase(Locale.ROOT);
        int dot = upper.lastIndexOf('.');
        String base = (dot < 0 ? upper : upper.substring(0, dot)).replaceAll("[^A-Z0-9]", "");
        String extension = (dot < 0 ? "" : upper.substring(dot + 1)).replaceAll("[^A-Z0-9]", "");
        boolean fits = base.length() <= 8 && extension.length() <= 3 && name.equals(upper) && !base.isEmpty();
        if (!fits) {
            String tail = "~" + counter;
            base = base.substring(0, Math.min(base.length(), 8 - tail.length())) + tail;
        }
        extension = extension.substring(0, Math.min(3, extension.length()));
        return String.format("%-8s%-3s", base, extension);
    }

    private static String displayed(String shortName) {
        String base = shortName.substring(0, 8).strip();
        String extension = shortName.substring(8).strip();
        return extension.isEmpty() ? base : base + "." + extension;
    }

    private static byte[] shortEntry(String name11, int attributes, int cluster, int size) {
        ByteBuffer entry = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        entry.put(name11.getBytes(StandardCharsets.US_ASCII));
        entry.put((byte) attributes);
        entry.putShort(26, (short) cluster);
        entry.putInt(28, size);
        return entry.array();
    }

    private static int checksum(byte[] entry) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >> 1) + (entry[i] & 0xFF)) & 0xFF;
        }
        return sum;
    }

    private static byte[] longEntries(String name, int checksum) {
        char[] chars = Arrays.copyOf(name.toCharArray(), ((name.length() + 1 + 12) / 13) * 13);
        for (int i = name.length() + 1; i < chars.length; i++) {
            chars[i] = '\uFFFF';
        }
        int pieces = chars.length / 13;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int piece = pieces; piece >= 1; piece--) {
            ByteBuffer entry = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            entry.put(0, (byte) (piece | (piece == pieces ? 0x40 : 0)));
            int base = (piece - 1) * 13;
            int[] offsets = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
            for (int i = 0; i < 13; i++) {
                entry.putChar(offsets[i], chars[base + i]);
            }
            entry.put(11, (byte) 0x0F);
            entry.put(13, (byte) checksum);
            out.writeBytes(entry.array());
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- disks

    /** A disk with an MBR whose first partition (type 0x01, FAT12) holds {@code volume}, from sector 63. */
    public static byte[] mbrDisk(byte[] volume) {
        int start = 63;
        byte[] disk = new byte[start * SECTOR + volume.length];
        ByteBuffer mbr = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
        disk[446] = (byte) 0x80;
        disk[446 + 4] = 0x01;
        mbr.putInt(446 + 8, start);
        mbr.putInt(446 + 12, volume.length / SECTOR);
        disk[510] = 0x55;
        disk[511] = (byte) 0xAA;
        System.arraycopy(volume, 0, disk, start * SECTOR, volume.length);
        return disk;
    }

    /** A fixed VHD: the disk and a footer. */
    public static byte[] fixedVhd(byte[] disk) {
        byte[] image = Arrays.copyOf(disk, disk.length + SECTOR);
        System.arraycopy(vhdFooter(disk.length, 2, -1), 0, image, disk.length, SECTOR);
        return image;
    }

    /** A dynamic VHD of blocks of {@code blockSize} bytes; blocks of zeros are left unallocated. */
    public static byte[] dynamicVhd(byte[] disk, int blockSize) {
        int blocks = (disk.length + blockSize - 1) / blockSize;
        int tableBytes = ((blocks * 4 + SECTOR - 1) / SECTOR) * SECTOR;
        int bitmap = ((blockSize / SECTOR / 8 + SECTOR - 1) / SECTOR) * SECTOR;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] footer = vhdFooter((long) blocks * blockSize, 3, SECTOR);
        out.writeBytes(footer);
        ByteBuffer header = ByteBuffer.allocate(1024);
        header.put("cxsparse".getBytes(StandardCharsets.US_ASCII));
        header.putLong(8, -1L);
        header.putLong(16, SECTOR + 1024);
        header.putInt(24, 0x00010000);
        header.putInt(28, blocks);
        header.putInt(32, blockSize);
        out.writeBytes(header.array());
        ByteBuffer table = ByteBuffer.allocate(tableBytes);
        long next = SECTOR + 1024 + tableBytes;
        List<byte[]> data = new ArrayList<>();
        for (int block = 0; block < blocks; block++) {
            byte[] bytes = Arrays.copyOfRange(disk, block * blockSize, block * blockSize + blockSize);
            if (Arrays.equals(bytes, new byte[blockSize])) {
                table.putInt(block * 4, -1);
                continue;
            }
            table.putInt(block * 4, (int) (next / SECTOR));
            byte[] withBitmap = new byte[bitmap + blockSize];
            Arrays.fill(withBitmap, 0, bitmap, (byte) 0xFF);
            System.arraycopy(bytes, 0, withBitmap, bitmap, blockSize);
            data.add(withBitmap);
            next += withBitmap.length;
        }
        for (int i = blocks * 4; i < tableBytes; i++) {
            table.put(i, (byte) 0xFF);
        }
        out.writeBytes(table.array());
        data.forEach(out::writeBytes);
        out.writeBytes(footer);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- NTFS

    private static final int NTFS_RECORD = 1024;
    private static final int MFT_CLUSTER = 8;
    private static final int MFT_RECORDS = 24;
    private static final int NTFS_FIRST_DATA_CLUSTER = MFT_CLUSTER + MFT_RECORDS * NTFS_RECORD / SECTOR + 8;

    /**
     * A small NTFS volume (clusters of 512 bytes, records of 1,024): the $MFT, the root, a directory
     * {@code Data}, and for each of {@code files} (at most 4, in the root or in {@code Data/}) a record with
     * its $FILE_NAME and $DATA, resident up to 512 bytes, else in two runs laid out backwards (the second
     * run's offset is negative). With {@code tornRecord} the last file's record fails its update sequence.
     */
    public static byte[] ntfs(Map<String, byte[]> files, boolean tornRecord) {
        int dataClusters = 0;
        for (byte[] data : files.values()) {
            dataClusters += data.length > 512 ? (data.length + SECTOR - 1) / SECTOR + 2 : 0;
        }
        byte[] volume = new byte[(NTFS_FIRST_DATA_CLUSTER + dataClusters + 8) * SECTOR];
        ByteBuffer boot = ByteBuffer.wrap(volume).order(ByteOrder.LITTLE_ENDIAN);
        volume[0] = (byte) 0xEB;
        volume[1] = 0x52;
        volume[2] = (byte) 0x90;
        System.arraycopy("NTFS    ".getBytes(StandardCharsets.US_ASCII), 0, volume, 3, 8);
        boot.putShort(11, (short) SECTOR);
        volume[13] = 1;
        volume[21] = (byte) 0xF8;
        boot.putLong(40, volume.length / SECTOR - 1);
        boot.putLong(48, MFT_CLUSTER);
        boot.putLong(56, MFT_CLUSTER + 4);
        volume[64] = (byte) -10;
        volume[68] = 1;
        volume[510] = 0x55;
        volume[511] = (byte) 0xAA;
        int mftClusters = MFT_RECORDS * NTFS_RECORD / SECTOR;
        putRecord(volume, 0, 0x01, fileName(5, "$MFT"),
                nonResidentData(MFT_RECORDS * NTFS_RECORD, new int[][] {{mftClusters, MFT_CLUSTER}}), false);
        putRecord(volume, 5, 0x03, fileName(5, "."), null, false);
        putRecord(volume, 16, 0x03, fileName(5, "Data"), null, false);
        int record = 17;
        int cluster = NTFS_FIRST_DATA_CLUSTER;
        int index = 0;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            long parent = path.startsWith("Data/") ? 16 : 5;
            String name = path.substring(path.lastIndexOf('/') + 1);
            byte[] data = file.getValue();
            byte[] attribute;
            if (data.length <= 512) {
                attribute = residentAttribute(0x80, data);
            } else {
                int clusters = (data.length + SECTOR - 1) / SECTOR;
                int first = clusters / 2;
                // The first half is stored after the second: the second run's offset is negative.
                int firstAt = cluster + clusters - first + 1;
                int secondAt = cluster;
                System.arraycopy(data, 0, volume, firstAt * SECTOR, first * SECTOR);
                System.arraycopy(data, first * SECTOR, volume, secondAt * SECTOR, data.length - first * SECTOR);
                attribute = nonResidentData(data.length, new int[][] {{first, firstAt}, {clusters - first, secondAt}});
                cluster += clusters + 2;
            }
            index++;
            putRecord(volume, record++, 0x01, fileName(parent, name), attribute, tornRecord && index == files.size());
        }
        if (record > MFT_RECORDS) {
            throw new IllegalArgumentException("too many files");
        }
        return volume;
    }

    private static void putRecord(byte[] volume, int number, int flags, byte[] fileName, byte[] data, boolean torn) {
        ByteBuffer record = ByteBuffer.allocate(NTFS_RECORD).order(ByteOrder.LITTLE_ENDIAN);
        record.put("FILE".getBytes(StandardCharsets.US_ASCII));
        record.putShort(4, (short) 48);
        record.putShort(6, (short) 3);
        record.putShort(16, (short) 1);
        record.putShort(18, (short) 1);
        record.putShort(20, (short) 56);
        record.putShort(22, (short) flags);
        record.position(56);
        record.put(fileName);
        if (data != null) {
            record.put(data);
        }
        record.putInt(-1);
        record.putInt(24, record.position() + 4);
        record.putInt(28, NTFS_RECORD);
        byte[] bytes = record.array();
        // The update sequence: the last two bytes of each sector move into the array, the sequence number in.
        short usn = 7;
        ByteBuffer fix = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fix.putShort(48, usn);
        for (int sector = 1; sector <= 2; sector++) {
            int end = sector * SECTOR - 2;
            fix.putShort(48 + 2 * sector, fix.getShort(end));
            fix.putShort(end, torn && sector == 2 ? (short) 8 : usn);
        }
        System.arraycopy(bytes, 0, volume, MFT_CLUSTER * SECTOR + number * NTFS_RECORD, NTFS_RECORD);
    }

    private static byte[] fileName(long parent, String name) {
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        ByteBuffer value = ByteBuffer.allocate(66 + utf16.length).order(ByteOrder.LITTLE_ENDIAN);
        value.putLong(0, parent | 1L << 48);
        value.put(64, (byte) name.length());
        value.put(65, (byte) 1);
        value.put(66, utf16);
        return residentAttribute(0x30, value.array());
    }

    private static byte[] residentAttribute(int type, byte[] value) {
        int length = (24 + value.length + 7) / 8 * 8;
        ByteBuffer attribute = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        attribute.putInt(0, type);
        attribute.putInt(4, length);
        attribute.putShort(10, (short) 24);
        attribute.putInt(16, value.length);
        attribute.putShort(20, (short) 24);
        attribute.put(24, value);
        return attribute.array();
    }

    /** A non-resident $DATA of {@code size} bytes in {@code runs} of {length, cluster}. */
    private static byte[] nonResidentData(long size, int[][] runs) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        int previous = 0;
        long clusters = 0;
        for (int[] run : runs) {
            int delta = run[1] - previous;
            list.write(0x22);
            list.write(run[0] & 0xFF);
            list.write(run[0] >> 8 & 0xFF);
            list.write(delta & 0xFF);
            list.write(delta >> 8 & 0xFF);
            previous = run[1];
            clusters += run[0];
        }
        list.write(0);
        byte[] runList = list.toByteArray();
        int length = (64 + runList.length + 7) / 8 * 8;
        ByteBuffer attribute = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        attribute.putInt(0, 0x80);
        attribute.putInt(4, length);
        attribute.put(8, (byte) 1);
        attribute.putShort(10, (short) 64);
        attribute.putLong(24, clusters - 1);
        attribute.putShort(32, (short) 64);
        attribute.putLong(40, clusters * SECTOR);
        attribute.putLong(48, size);
        attribute.putLong(56, size);
        attribute.put(64, runList);
        return attribute.array();
    }

    private static byte[] vhdFooter(long size, int type, long dataOffset) {
        ByteBuffer footer = ByteBuffer.allocate(SECTOR);
        footer.put("conectix".getBytes(StandardCharsets.US_ASCII));
        footer.putInt(8, 2);
        footer.putInt(12, 0x00010000);
        footer.putLong(16, dataOffset);
        footer.putLong(40, size);
        footer.putLong(48, size);
        footer.putInt(60, type);
        return footer.array();
    }
}
