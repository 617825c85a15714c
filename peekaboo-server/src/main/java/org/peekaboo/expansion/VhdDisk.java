package org.peekaboo.expansion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The disk inside a Microsoft Virtual Hard Disk (VHD): a fixed VHD is the disk followed by a 512-byte
 * footer ("conectix"); a dynamic one starts with a copy of the footer, then a dynamic header
 * ("cxsparse") pointing at a block allocation table; blocks never written read as zeros. Differencing
 * VHDs need their parent and are not read. Own code: no kept Java library reads VHD.
 */
final class VhdDisk {
    static final int FOOTER = 512;
    private static final long MAX_BLOCK = 256L * 1024 * 1024;
    private static final int MAX_BLOCKS = 4 * 1024 * 1024;

    private VhdDisk() {
    }

    /** The footer's disk type (2 fixed, 3 dynamic, 4 differencing), or 0 when there is no VHD footer. */
    static int type(DiskSource source) throws IOException {
        byte[] footer = footer(source);
        return footer == null ? 0 : (int) u32(footer, 60);
    }

    /** The footer at the end, else its copy at the start (a dynamic VHD cut short). */
    private static byte[] footer(DiskSource source) throws IOException {
        if (source.size() >= FOOTER) {
            byte[] end = source.read(source.size() - FOOTER, FOOTER);
            if (isFooter(end)) {
                return end;
            }
            byte[] start = source.read(0, FOOTER);
            if (isFooter(start)) {
                return start;
            }
        }
        return null;
    }

    private static boolean isFooter(byte[] bytes) {
        return new String(bytes, 0, 8, StandardCharsets.ISO_8859_1).equals("conectix");
    }

    /** The virtual disk. */
    static DiskSource disk(DiskSource source) throws IOException {
        byte[] footer = footer(source);
        if (footer == null) {
            throw new IOException("it has no VHD footer");
        }
        long type = u32(footer, 60);
        if (type == 2) {
            return source.slice(0, source.size() - FOOTER);
        }
        if (type == 4) {
            throw new IOException("it is a differencing VHD, whose content is in its parent image");
        }
        if (type != 3) {
            throw new IOException("its disk type " + type + " is unknown");
        }
        long headerAt = u64(footer, 16);
        source.check(headerAt, 1024);
        byte[] header = source.read(headerAt, 1024);
        if (!new String(header, 0, 8, StandardCharsets.ISO_8859_1).equals("cxsparse")) {
            throw new IOException("its dynamic disk header is missing");
        }
        long tableAt = u64(header, 16);
        long entries = u32(header, 28);
        long blockSize = u32(header, 32);
        long virtualSize = u64(footer, 48);
        if (entries <= 0 || entries > MAX_BLOCKS || blockSize < 512 || blockSize > MAX_BLOCK
                || Long.bitCount(blockSize) != 1 || virtualSize < 0 || virtualSize > entries * blockSize) {
            throw new IOException("its dynamic disk header is implausible");
        }
        source.check(tableAt, entries * 4);
        byte[] table = source.read(tableAt, (int) (entries * 4));
        long bitmap = ((blockSize / 512 / 8) + 511) / 512 * 512;
        return new DiskSource() {
            @Override
            public long size() {
                return virtualSize;
            }

            @Override
            public void read(long position, byte[] buffer, int offset, int length) throws IOException {
                check(position, length);
                while (length > 0) {
                    int block = (int) (position / blockSize);
                    long within = position % blockSize;
                    int count = (int) Math.min(length, blockSize - within);
                    long sector = u32(table, block * 4);
                    if (sector == 0xFFFFFFFFL) {
                        Arrays.fill(buffer, offset, offset + count, (byte) 0);
                    } else {
                        source.read(sector * 512 + bitmap + within, buffer, offset, count);
                    }
                    position += count;
                    offset += count;
                    length -= count;
                }
            }
        };
    }

    static long u32(byte[] bytes, int at) {
        return (bytes[at] & 0xFFL) << 24 | (bytes[at + 1] & 0xFFL) << 16 | (bytes[at + 2] & 0xFFL) << 8
                | (bytes[at + 3] & 0xFFL);
    }

    static long u64(byte[] bytes, int at) {
        return u32(bytes, at) << 32 | u32(bytes, at + 4);
    }
}
