package org.peekaboo.office;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The OLE2 compound files a PowerPoint 97-2003 presentation (.ppt, .pps, .pot) keeps in the
 * records of its {@code PowerPoint Document} stream ([MS-PPT]): its VBA project and its
 * embedded OLE objects. PowerPoint does not keep the VBA project in a {@code VBA} storage of
 * the file, as Word and Excel do, but in an ExOleObjStg record whose data is a compound file
 * of its own (VbaProjectStg, [MS-PPT] 2.10.40); handed to {@link Ole2Inspector}, that compound
 * file gets the same VBA reading as a .doc.
 *
 * <p>The records are found the way PowerPoint finds them (CurrentUserAtom → UserEditAtom →
 * persist directory → DocumentContainer → DocInfoList → VBAInfo → VBAInfoAtom → persist
 * directory → ExOleObjStg; every ExOleObjStg the persist directories list), and by a scan of
 * every top-level record, which finds the VBA project of a file whose pointers a dropper's
 * generator got wrong. A broken pointer only ends PowerPoint's way. A record that runs past
 * the stream's end makes the presentation unreadable when PowerPoint's way is broken too,
 * since what it hides cannot be told. Encrypted presentations are decrypted first
 * ({@link PowerPointDecryption}).
 *
 * <p>Hand-written rather than POI's HSLF (poi-scratchpad): HSLF parses the whole presentation
 * (slides, text, pictures) into objects without size limits, where these few record types
 * are all that is needed and each read here is bounded by the stream and the limits.
 */
final class PowerPointStorages {
    /** The stream holding a presentation's records. */
    static final String DOCUMENT_STREAM = "PowerPoint Document";
    /** The stream pointing at the last edit of the presentation. */
    static final String CURRENT_USER_STREAM = "Current User";
    /** Real Current User streams are well under 1 KiB: a user name and a few numbers. */
    static final int MAX_CURRENT_USER_BYTES = 4096;

    static final int RT_DOCUMENT = 0x03E8;
    static final int RT_DOC_INFO_LIST = 0x07D0;
    static final int RT_VBA_INFO = 0x03FF;
    static final int RT_VBA_INFO_ATOM = 0x0400;
    static final int RT_EX_OLE_OBJ_STG = 0x1011;
    static final int RT_PERSIST_DIRECTORY_ATOM = 0x1772;
    static final int RT_USER_EDIT_ATOM = 0x0FF5;
    static final int RT_CURRENT_USER_ATOM = 0x0FF6;
    private static final int HEADER_BYTES = 8;
    private static final int CONTAINER_VERSION = 0xF;
    private static final long HEADER_TOKEN_ENCRYPTED = 0xF3D1C4DFL;
    /** Fast saves append an edit each; real presentations have a few dozen at most. */
    private static final int MAX_EDITS = 4096;
    /** Below this size the inflate ratio is not checked, as for OOXML parts. */
    private static final int RATIO_CHECK_FROM = 1 << 20;
    private static final byte[] OLE2_MAGIC = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0,
        (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

    /** Receives each compound file found, inflated; may throw what inspecting it throws. */
    @FunctionalInterface
    interface StorageVisitor {
        void visit(String label, byte[] compoundFile) throws IOException;
    }

    /**
     * What the compound files of one document, nested ones included, may cost together: the
     * bytes inflated or copied out of records, and how many were opened.
     */
    static final class Budget {
        private long bytesLeft;
        private int objectsLeft;

        Budget(MacroLimits limits) {
            this.bytesLeft = limits.maxOle2Bytes();
            this.objectsLeft = limits.maxZipEntries();
        }

        private void take(String where, int bytes) throws OfficeDocumentException {
            bytesLeft -= bytes;
            if (--objectsLeft < 0 || bytesLeft < 0) {
                throw new OfficeDocumentException(where + ": the presentation's embedded compound files exceed the"
                        + " limits (their total size or number); the macros cannot be judged");
            }
        }

        private long bytesLeft() {
            return bytesLeft;
        }
    }

    private final MacroLimits limits;
    private final Budget budget;

    PowerPointStorages(MacroLimits limits, Budget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /**
     * Hands every compound file stored in {@code stream} to {@code visitor}, the VBA project
     * first (labelled {@code container/VBA project}), then the other ExOleObjStg records
     * ({@code container/embedded object @offset}): those the persist directory lists, then
     * those a scan of the top-level records finds.
     *
     * <p>PowerPoint reaches every object through the persist directory. Where that can be
     * read, a stream the scan cannot walk to its end (slack or garbage between records) hides
     * nothing PowerPoint would use; where it cannot, the scan must reach the end.
     *
     * @param currentUser the {@code Current User} stream, at most {@link #MAX_CURRENT_USER_BYTES}; null if absent
     * @throws OfficeDocumentException if the records are corrupt, the presentation is encrypted,
     *                                 or a storage exceeds the limits
     */
    void forEach(byte[] stream, byte[] currentUser, String container, StorageVisitor visitor)
            throws IOException {
        PersistChain chain = persistChain(stream, currentUser);
        if (currentUser != null && currentUser.length >= 16 && u16(currentUser, 2) == RT_CURRENT_USER_ATOM
                && u32(currentUser, 12) == HEADER_TOKEN_ENCRYPTED) {
            if (chain == null) {
                throw new OfficeDocumentException(container + ": encrypted PowerPoint presentation whose edits"
                        + " cannot be followed");
            }
            stream = PowerPointDecryption.decrypt(stream, chain, container);
        }
        Set<Integer> done = new HashSet<>();
        int vbaOffset = chain == null ? -1 : vbaProjectOffset(stream, chain);
        if (vbaOffset >= 0) {
            String label = container + "/VBA project";
            byte[] storage = compoundFile(stream, header(stream, vbaOffset, label), label);
            if (storage == null) {
                throw new OfficeDocumentException(label + ": the VBA project record holds no compound file");
            }
            done.add(vbaOffset);
            visitor.visit(label, storage);
        }
        if (chain != null) {
            for (Header directory : chain.directories()) {
                for (int at = directory.data(); at + 4 <= directory.end(); ) {
                    long count = u32(stream, at) >>> 20;
                    at += 4;
                    for (long i = 0; i < count && at + 4 <= directory.end(); i++, at += 4) {
                        int offset = (int) Math.min(u32(stream, at), Integer.MAX_VALUE);
                        visitEmbedded(stream, offset, container, done, visitor);
                    }
                }
            }
        }
        List<Integer> scanned;
        try {
            scanned = scan(stream, container);
        } catch (OfficeDocumentException e) {
            if (chain == null) {
                throw e;
            }
            return;
        }
        for (int offset : scanned) {
            visitEmbedded(stream, offset, container, done, visitor);
        }
    }

    /** The offsets of the top-level ExOleObjStg records, walking the records to the stream's end. */
    private List<Integer> scan(byte[] stream, String container) throws OfficeDocumentException {
        List<Integer> found = new ArrayList<>();
        int offset = 0;
        while (offset < stream.length) {
            if (stream.length - offset < HEADER_BYTES) {
                if (allZero(stream, offset)) {
                    break;
                }
                throw new OfficeDocumentException(container + ": PowerPoint record at offset " + offset
                        + " is cut off by the end of the stream");
            }
            Header record = header(stream, offset, container);
            if (record.type() == RT_EX_OLE_OBJ_STG) {
                if (found.size() >= limits.maxZipEntries()) {
                    throw new OfficeDocumentException(container + ": more than " + limits.maxZipEntries()
                            + " embedded objects; the macros cannot be judged");
                }
                found.add(offset);
            }
            offset = record.end();
        }
        return found;
    }

    /** Visits the ExOleObjStg at {@code offset} unless done; a pointer to no record is skipped. */
    private void visitEmbedded(byte[] stream, int offset, String container, Set<Integer> done, StorageVisitor visitor)
            throws IOException {
        Header record;
        try {
            record = header(stream, offset, container);
        } catch (OfficeDocumentException e) {
            return;
        }
        if (record.type() != RT_EX_OLE_OBJ_STG || !done.add(offset)) {
            return;
        }
        String label = container + "/embedded object @" + offset;
        byte[] storage = compoundFile(stream, record, label);
        if (storage != null) {
            visitor.visit(label, storage);
        }
    }

    /** The document's persist id and the PersistDirectoryAtoms of every edit, newest first. */
    record PersistChain(long docPersistId, long cryptSessionPersistId, List<Header> directories) {
    }

    /**
     * The persist directories as PowerPoint follows them from the Current User stream; null
     * where that way is broken (a sloppy file the scan covers).
     */
    private static PersistChain persistChain(byte[] stream, byte[] currentUser) {
        if (currentUser == null || currentUser.length < 20 || u16(currentUser, 2) != RT_CURRENT_USER_ATOM) {
            return null;
        }
        try {
            List<Header> directories = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            long docPersistId = -1;
            long cryptSessionPersistId = -1;
            int editOffset = offset(u32(currentUser, 16), stream);
            while (true) {
                if (!seen.add(editOffset) || seen.size() > MAX_EDITS) {
                    return null;
                }
                Header edit = header(stream, editOffset, "");
                if (edit.type() != RT_USER_EDIT_ATOM || edit.length() < 24) {
                    return null;
                }
                Header directory = header(stream, offset(u32(stream, edit.data() + 12), stream), "");
                if (directory.type() != RT_PERSIST_DIRECTORY_ATOM) {
                    return null;
                }
                // Edits may share a directory; each is read once, so the work stays linear in the stream.
                if (directories.stream().noneMatch(known -> known.offset() == directory.offset())) {
                    directories.add(directory);
                }
                if (docPersistId < 0) {
                    docPersistId = u32(stream, edit.data() + 16);
                    // Only the newest edit's field counts; it is there in encrypted files (length 0x20).
                    cryptSessionPersistId = edit.length() >= 32 ? u32(stream, edit.data() + 28) : 0;
                }
                editOffset = offset(u32(stream, edit.data() + 8), stream);
                if (editOffset == 0) {
                    return new PersistChain(docPersistId, cryptSessionPersistId, directories);
                }
            }
        } catch (OfficeDocumentException e) {
            return null;
        }
    }

    /**
     * The offset of the VBA project's ExOleObjStg as PowerPoint finds it (the newest edit's
     * document, its VBAInfoAtom), or -1 where the pointers lead nowhere.
     */
    private static int vbaProjectOffset(byte[] stream, PersistChain chain) {
        try {
            int documentOffset = persistOffset(stream, chain.directories(), chain.docPersistId());
            if (documentOffset < 0) {
                return -1;
            }
            Header document = header(stream, documentOffset, "");
            Header docInfoList = document.type() == RT_DOCUMENT ? child(stream, document, RT_DOC_INFO_LIST) : null;
            Header vbaInfo = docInfoList == null ? null : child(stream, docInfoList, RT_VBA_INFO);
            Header atom = vbaInfo == null ? null : child(stream, vbaInfo, RT_VBA_INFO_ATOM);
            if (atom == null || atom.length() < 4) {
                return -1;
            }
            int vbaOffset = persistOffset(stream, chain.directories(), u32(stream, atom.data()));
            if (vbaOffset < 0 || header(stream, vbaOffset, "").type() != RT_EX_OLE_OBJ_STG) {
                return -1;
            }
            return vbaOffset;
        } catch (OfficeDocumentException e) {
            return -1;
        }
    }

    /**
     * Where the object {@code persistId} starts, per the newest edit that lists it (fast saves
     * leave older edits behind in the stream); -1 if none does.
     */
    static int persistOffset(byte[] stream, List<Header> directories, long persistId)
            throws OfficeDocumentException {
        for (Header directory : directories) {
            int at = directory.data();
            while (at + 4 <= directory.end()) {
                long entry = u32(stream, at);
                long first = entry & 0xFFFFF;
                long count = entry >>> 20;
                at += 4;
                if (persistId >= first && persistId < first + count
                        && at + 4 * (persistId - first) + 4 <= directory.end()) {
                    return offset(u32(stream, at + (int) (4 * (persistId - first))), stream);
                }
                at += (int) (4 * count);
            }
        }
        return -1;
    }

    /** The first child record of {@code type} in the container {@code parent}, or null. */
    private static Header child(byte[] stream, Header parent, int type) throws OfficeDocumentException {
        if (parent.version() != CONTAINER_VERSION) {
            return null;
        }
        for (int at = parent.data(); at + HEADER_BYTES <= parent.end(); ) {
            Header child = header(stream, at, "");
            if (child.end() > parent.end()) {
                return null;
            }
            if (child.type() == type) {
                return child;
            }
            at = child.end();
        }
        return null;
    }

    /**
     * The compound file an ExOleObjStg record holds: stored as is, or zlib-compressed after its
     * 4-byte uncompressed size. Droppers' generators get the instance flag wrong, so the data
     * decides. Null if it holds no compound file (then it cannot hold VBA).
     */
    private byte[] compoundFile(byte[] stream, Header record, String label) throws OfficeDocumentException {
        if (record.type() != RT_EX_OLE_OBJ_STG) {
            return null;
        }
        int data = record.data();
        int length = (int) record.length();
        if (startsWithOle2(stream, data, length)) {
            budget.take(label, length);
            return Arrays.copyOfRange(stream, data, data + length);
        }
        if (length >= 6 && (stream[data + 4] & 0x0F) == 8
                && (((stream[data + 4] & 0xFF) << 8) | (stream[data + 5] & 0xFF)) % 31 == 0) {
            byte[] inflated = inflate(stream, data + 4, length - 4, label);
            budget.take(label, inflated.length);
            if (startsWithOle2(inflated, 0, inflated.length)) {
                return inflated;
            }
        }
        return null;
    }

    /** Inflates zlib data, refused beyond the part size, the ratio and the document's budget. */
    private byte[] inflate(byte[] stream, int from, int length, String label) throws OfficeDocumentException {
        long max = Math.min(limits.maxPartBytes(), budget.bytesLeft());
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stream, from, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && !inflater.finished()) {
                    // Inflater returns nothing only when it needs more input or a dictionary.
                    throw new OfficeDocumentException(label + ": compressed storage ends early");
                }
                if (out.size() + (long) n > max) {
                    throw new OfficeDocumentException(label + ": compressed storage inflates to more than " + max
                            + " bytes (zlib bomb?); the macros cannot be judged");
                }
                long total = out.size() + (long) n;
                if (total > RATIO_CHECK_FROM && total > (long) length * limits.maxInflateRatio()) {
                    throw new OfficeDocumentException(label + ": compressed storage inflates more than "
                            + limits.maxInflateRatio() + " times (" + length + " bytes compressed; zlib bomb?);"
                            + " the macros cannot be judged");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new OfficeDocumentException(label + ": corrupt compressed storage: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** A record header: {@code recVer} (4 bits), {@code recInstance} (12), {@code recType}, {@code recLen}. */
    record Header(int offset, int version, int instance, int type, long length) {
        int data() {
            return offset + HEADER_BYTES;
        }

        int end() {
            return (int) (offset + HEADER_BYTES + length);
        }
    }

    /** The header at {@code offset}, whose record must lie within the stream. */
    static Header header(byte[] stream, int offset, String where) throws OfficeDocumentException {
        if (offset < 0 || stream.length - offset < HEADER_BYTES) {
            throw new OfficeDocumentException(where + ": PowerPoint record at offset " + offset
                    + " lies beyond the end of the stream");
        }
        int verInstance = u16(stream, offset);
        long length = u32(stream, offset + 4);
        if (length > stream.length - offset - HEADER_BYTES) {
            throw new OfficeDocumentException(where + ": PowerPoint record at offset " + offset + " of "
                    + length + " bytes runs past the end of the " + stream.length + "-byte stream");
        }
        return new Header(offset, verInstance & 0xF, verInstance >>> 4, u16(stream, offset + 2), length);
    }

    private static int offset(long value, byte[] stream) throws OfficeDocumentException {
        if (value >= stream.length) {
            throw new OfficeDocumentException("offset " + value + " beyond the stream");
        }
        return (int) value;
    }

    private static boolean startsWithOle2(byte[] data, int from, int length) {
        return length >= OLE2_MAGIC.length
                && Arrays.equals(data, from, from + OLE2_MAGIC.length, OLE2_MAGIC, 0, OLE2_MAGIC.length);
    }

    private static boolean allZero(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] data, int at) {
        return (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] data, int at) throws OfficeDocumentException {
        if (at < 0 || at + 4 > data.length) {
            throw new OfficeDocumentException("field at offset " + at + " beyond the end");
        }
        return (data[at] & 0xFFL) | (data[at + 1] & 0xFFL) << 8 | (data[at + 2] & 0xFFL) << 16
                | (data[at + 3] & 0xFFL) << 24;
    }
}
