package org.peekaboo.office;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The module list of a VBA project's {@code dir} stream (MS-OVBA 2.3.4.2): which stream holds
 * each module and where its compressed source starts. Apache POI reads the sources; this is
 * read first so that their decompressed size is known, and bounded, before POI holds them in
 * memory (VBA compression reaches about 700:1, POI reads without a limit).
 *
 * <p>Records are {@code id (u16), size (u32), data}; only PROJECTVERSION lies about its size
 * (its "size" is a reserved 4, followed by 6 bytes of version).
 */
final class VbaDirectory {
    private static final int PROJECTVERSION = 0x0009;
    private static final int MODULESTREAMNAME = 0x001A;
    private static final int MODULESTREAMNAME_UNICODE = 0x0032;
    private static final int MODULEOFFSET = 0x0031;
    private static final int MODULE_TERMINATOR = 0x002B;
    private static final int DIR_TERMINATOR = 0x0010;
    /** Real dir streams are a few KiB; this only stops a decompression bomb in the dir itself. */
    private static final int MAX_DIR_BYTES = 1 << 20;

    /** One module: its stream in the VBA storage and the offset of its compressed source. */
    record ModuleStream(String streamName, long offset) {
    }

    private VbaDirectory() {
    }

    /** Reads the module list from the decompressed {@code dir} stream. */
    static List<ModuleStream> read(InputStream decompressedDir) throws IOException {
        LittleEndianReader in = new LittleEndianReader(decompressedDir, MAX_DIR_BYTES);
        List<ModuleStream> modules = new ArrayList<>();
        String streamName = null;
        long offset = -1;
        while (true) {
            int id = in.u16();
            if (id < 0 || id == DIR_TERMINATOR) {
                break;
            }
            long size = in.u32();
            switch (id) {
                case PROJECTVERSION -> in.skip(6);
                case MODULESTREAMNAME -> streamName = new String(in.bytes(size), StandardCharsets.ISO_8859_1);
                case MODULESTREAMNAME_UNICODE -> streamName = new String(in.bytes(size), StandardCharsets.UTF_16LE);
                case MODULEOFFSET -> {
                    if (size != 4) {
                        throw new IOException("MODULEOFFSET record of " + size + " bytes");
                    }
                    offset = in.u32();
                }
                case MODULE_TERMINATOR -> {
                    in.skip(size);
                    if (streamName == null || offset < 0) {
                        throw new IOException("module without stream name or offset");
                    }
                    modules.add(new ModuleStream(streamName, offset));
                    streamName = null;
                    offset = -1;
                }
                default -> in.skip(size);
            }
        }
        return modules;
    }

    /** Little-endian reads over a stream that may end anywhere, with a bound on what is read. */
    static final class LittleEndianReader {
        private final InputStream in;
        private final long max;
        private long read;

        LittleEndianReader(InputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        /** The next u16, or -1 at the end of the stream. */
        int u16() throws IOException {
            int b0 = next();
            if (b0 < 0) {
                return -1;
            }
            return b0 | (required() << 8);
        }

        long u32() throws IOException {
            return (required() | (long) required() << 8 | (long) required() << 16 | (long) required() << 24);
        }

        byte[] bytes(long size) throws IOException {
            if (size > max - read) {
                throw new IOException("record of " + size + " bytes runs past the end");
            }
            byte[] data = new byte[(int) size];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) required();
            }
            return data;
        }

        void skip(long size) throws IOException {
            if (size > max - read) {
                throw new IOException("record of " + size + " bytes runs past the end");
            }
            for (long i = 0; i < size; i++) {
                required();
            }
        }

        private int required() throws IOException {
            int b = next();
            if (b < 0) {
                throw new EOFException("dir stream ends inside a record");
            }
            return b;
        }

        private int next() throws IOException {
            if (read >= max) {
                throw new IOException("dir stream longer than " + max + " bytes");
            }
            int b = in.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }
    }
}
