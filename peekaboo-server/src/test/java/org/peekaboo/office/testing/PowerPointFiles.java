package org.peekaboo.office.testing;

import java.awt.Rectangle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.apache.poi.hpsf.ClassIDPredefined;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextBox;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * PowerPoint 97-2003 presentations built record by record after [MS-PPT]: a DocumentContainer
 * (DocumentAtom, DocInfoList → VBAInfo → VBAInfoAtom, EndDocumentAtom), the VBA project as an
 * ExOleObjStg record holding a compound file (VbaProjectStg, as {@link OfficeFiles#vbaProjectBin}
 * writes it), embedded objects as further ExOleObjStg records, then the PersistDirectoryAtom
 * and UserEditAtom that the Current User stream points to. Only what PowerPoint follows to
 * its macros is there: no slides, no text.
 */
public final class PowerPointFiles {
    public static final int RT_DOCUMENT = 0x03E8;
    public static final int RT_DOCUMENT_ATOM = 0x03E9;
    public static final int RT_END_DOCUMENT_ATOM = 0x03EA;
    public static final int RT_DOC_INFO_LIST = 0x07D0;
    public static final int RT_VBA_INFO = 0x03FF;
    public static final int RT_VBA_INFO_ATOM = 0x0400;
    public static final int RT_EX_OLE_OBJ_STG = 0x1011;
    public static final int RT_PERSIST_DIRECTORY_ATOM = 0x1772;
    public static final int RT_USER_EDIT_ATOM = 0x0FF5;
    public static final int RT_CURRENT_USER_ATOM = 0x0FF6;
    private static final long HEADER_TOKEN = 0xE391C05FL;
    private static final long HEADER_TOKEN_ENCRYPTED = 0xF3D1C4DFL;

    private PowerPointFiles() {
    }

    /** A presentation with the given VBA modules, found the way PowerPoint finds them. */
    public static byte[] ppt(Map<String, String> modules) {
        return builder().vba(modules).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Choices for one presentation; {@link #build()} writes it. */
    public static final class Builder {
        private byte[] vbaStorage;
        private boolean compress = true;
        private boolean vbaInfo = true;
        private boolean encrypted;
        private final List<byte[]> embedded = new ArrayList<>();

        private Builder() {
        }

        /** A VBA project with these modules. */
        public Builder vba(Map<String, String> modules) {
            return vbaStorage(OfficeFiles.vbaProjectBin(modules));
        }

        /** Any bytes as the VBA project's storage. */
        public Builder vbaStorage(byte[] storage) {
            this.vbaStorage = storage;
            return this;
        }

        /** Stores the compound files as they are (recInstance 0) instead of zlib-compressed. */
        public Builder uncompressed() {
            this.compress = false;
            return this;
        }

        /** Leaves out DocInfoList/VBAInfo, as sloppy generators do: only the ExOleObjStg is there. */
        public Builder withoutVbaInfo() {
            this.vbaInfo = false;
            return this;
        }

        /** An embedded OLE object: a compound file such as a Word document. */
        public Builder embed(byte[] compoundFile) {
            embedded.add(compoundFile);
            return this;
        }

        /** Marks the Current User atom encrypted (the records are left as they are). */
        public Builder encrypted() {
            this.encrypted = true;
            return this;
        }

        public byte[] build() {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<Integer> offsets = new ArrayList<>();
            int vbaPersistId = vbaStorage == null ? 0 : 2;
            offsets.add(stream.size());
            stream.writeBytes(document(vbaInfo && vbaStorage != null ? vbaPersistId : 0));
            if (vbaStorage != null) {
                offsets.add(stream.size());
                stream.writeBytes(exOleObjStg(vbaStorage, compress));
            }
            for (byte[] object : embedded) {
                offsets.add(stream.size());
                stream.writeBytes(exOleObjStg(object, compress));
            }
            int directory = stream.size();
            Le entries = new Le().u32(1L | (long) offsets.size() << 20);
            offsets.forEach(entries::u32);
            stream.writeBytes(record(0, 0, RT_PERSIST_DIRECTORY_ATOM, entries.bytes()));
            int userEdit = stream.size();
            stream.writeBytes(userEdit(0, directory, offsets.size() + 1));
            return ole2(stream.toByteArray(), currentUser(userEdit, encrypted));
        }
    }

    /** A presentation as PowerPoint writes it (masters, slides), one slide with a text box per text; by HSLF. */
    public static byte[] presentation(String... slideTexts) {
        return presentation(null, slideTexts);
    }

    /**
     * {@link #presentation(String...)} with {@code embeddedDoc}, a Word document, as an embedded
     * OLE object (ExObjList → ExEmbed, its compound file in an ExOleObjStg); none if null.
     */
    public static byte[] presentation(byte[] embeddedDoc, String... slideTexts) {
        try (HSLFSlideShow show = new HSLFSlideShow()) {
            for (String text : slideTexts) {
                HSLFTextBox box = show.createSlide().createTextBox();
                box.setText(text);
                box.setAnchor(new Rectangle(50, 50, 500, 80));
            }
            if (embeddedDoc != null) {
                POIFSFileSystem object = new POIFSFileSystem(new ByteArrayInputStream(embeddedDoc));
                // HSLF embeds only what its class id says it is.
                object.getRoot().setStorageClsid(ClassIDPredefined.WORD_V8.getClassID());
                show.addEmbed(object);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code ppt} (a presentation as PowerPoint or POI's HSLF writes it) with a VBA project of
     * {@code modules} added as PowerPoint's fast save adds an edit: appended to the records, a
     * copy of the DocumentContainer whose DocInfoList holds VBAInfo → VBAInfoAtom, the project's
     * ExOleObjStg, a PersistDirectoryAtom for both and a UserEditAtom pointing back at the
     * previous edit, which the Current User stream then points at.
     */
    public static byte[] withVba(byte[] ppt, Map<String, String> modules) {
        return withVba(ppt, modules, true, true);
    }

    /**
     * {@link #withVba(byte[], Map)}, the project's compound file stored as is unless
     * {@code compress}, and without a VBAInfoAtom pointing at it (as sloppy generators write
     * it: the document is left as it was) unless {@code vbaInfo}.
     */
    public static byte[] withVba(byte[] ppt, Map<String, String> modules, boolean compress, boolean vbaInfo) {
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(ppt))) {
            byte[] stream = fs.createDocumentInputStream("PowerPoint Document").readAllBytes();
            byte[] user = fs.createDocumentInputStream("Current User").readAllBytes();
            ByteBuffer records = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
            int lastEdit = ByteBuffer.wrap(user).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
            int lastSlideIdRef = records.getInt(lastEdit + 8);
            int docPersistId = records.getInt(lastEdit + 8 + 16);
            // Above every id in use: HSLF writes the highest id as the seed, PowerPoint the next free one.
            int vbaPersistId = Math.max(records.getInt(lastEdit + 8 + 20), maxPersistId(records, lastEdit) + 1);
            int documentOffset = persistOffset(records, lastEdit, docPersistId);
            byte[] document = Arrays.copyOfRange(stream, documentOffset,
                    documentOffset + 8 + records.getInt(documentOffset + 4));
            if (vbaInfo) {
                document = withVbaInfo(document, vbaPersistId);
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(stream);
            int newDocument = out.size();
            out.writeBytes(document);
            int vba = out.size();
            out.writeBytes(exOleObjStg(OfficeFiles.vbaProjectBin(modules), compress));
            int directory = out.size();
            out.writeBytes(record(0, 0, RT_PERSIST_DIRECTORY_ATOM, new Le().u32(docPersistId | 1L << 20)
                    .u32(newDocument).u32(vbaPersistId | 1L << 20).u32(vba).bytes()));
            int edit = out.size();
            out.writeBytes(record(0, 0, RT_USER_EDIT_ATOM, new Le().u32(lastSlideIdRef).u16(0).u8(0).u8(3)
                    .u32(lastEdit).u32(directory).u32(docPersistId).u32(vbaPersistId + 1).u16(1).u16(0).bytes()));
            ByteBuffer.wrap(user).order(ByteOrder.LITTLE_ENDIAN).putInt(16, edit);

            fs.createOrUpdateDocument(new ByteArrayInputStream(out.toByteArray()), "PowerPoint Document");
            fs.createOrUpdateDocument(new ByteArrayInputStream(user), "Current User");
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            fs.writeFilesystem(file);
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int maxPersistId(ByteBuffer records, int edit) {
        int max = 0;
        for (int at = edit; ; at = records.getInt(at + 8 + 8)) {
            int directory = records.getInt(at + 8 + 12);
            int end = directory + 8 + records.getInt(directory + 4);
            for (int entry = directory + 8; entry < end; ) {
                int count = records.getInt(entry) >>> 20;
                max = Math.max(max, (records.getInt(entry) & 0xFFFFF) + count - 1);
                entry += 4 + 4 * count;
            }
            if (records.getInt(at + 8 + 8) == 0) {
                return max;
            }
        }
    }

    /** Where persist object {@code id} starts, per the newest edit listing it. */
    private static int persistOffset(ByteBuffer records, int edit, int id) {
        for (int at = edit; ; at = records.getInt(at + 8 + 8)) {
            int directory = records.getInt(at + 8 + 12);
            int end = directory + 8 + records.getInt(directory + 4);
            for (int entry = directory + 8; entry < end; ) {
                int first = records.getInt(entry) & 0xFFFFF;
                int count = records.getInt(entry) >>> 20;
                if (id >= first && id < first + count) {
                    return records.getInt(entry + 4 + 4 * (id - first));
                }
                entry += 4 + 4 * count;
            }
            if (records.getInt(at + 8 + 8) == 0) {
                throw new IllegalArgumentException("persist id " + id + " not found");
            }
        }
    }

    /**
     * The DocumentContainer with VBAInfo in its DocInfoList, instead of the one there (added
     * before the EndDocumentAtom if there is no DocInfoList).
     */
    private static byte[] withVbaInfo(byte[] document, int vbaPersistId) {
        ByteBuffer in = ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN);
        byte[] vbaInfo = record(0xF, 0, RT_VBA_INFO,
                record(2, 0, RT_VBA_INFO_ATOM, new Le().u32(vbaPersistId).u32(1).u32(2).bytes()));
        ByteArrayOutputStream children = new ByteArrayOutputStream();
        boolean added = false;
        for (int at = 8; at < document.length; ) {
            int type = in.getShort(at + 2) & 0xFFFF;
            int end = at + 8 + in.getInt(at + 4);
            if (type == RT_DOC_INFO_LIST) {
                // HSLF's template (like PowerPoint) already has a VBAInfo without macros: replaced.
                Le body = new Le();
                for (int child = at + 8; child < end; ) {
                    int childEnd = child + 8 + in.getInt(child + 4);
                    if ((in.getShort(child + 2) & 0xFFFF) != RT_VBA_INFO) {
                        body.raw(Arrays.copyOfRange(document, child, childEnd));
                    }
                    child = childEnd;
                }
                children.writeBytes(record(0xF, in.getShort(at) >>> 4 & 0xFFF, RT_DOC_INFO_LIST,
                        body.raw(vbaInfo).bytes()));
                added = true;
            } else {
                if (type == RT_END_DOCUMENT_ATOM && !added) {
                    children.writeBytes(record(0xF, 0, RT_DOC_INFO_LIST, vbaInfo));
                    added = true;
                }
                children.write(document, at, end - at);
            }
            at = end;
        }
        return record(0xF, 0, RT_DOCUMENT, children.toByteArray());
    }

    /**
     * {@code ppt} encrypted by POI's HSLF with {@code password}: RC4 CryptoAPI, as PowerPoint
     * encrypts ({@code /01Hannes Ruescher/01} is PowerPoint's default, which it opens without asking).
     */
    public static byte[] encrypted(byte[] ppt, String password) {
        // HSLF takes the password from this thread-local; it is cleared again at once.
        Biff8EncryptionKey.setCurrentUserPassword(password);
        try (HSLFSlideShow show = new HSLFSlideShow(new ByteArrayInputStream(ppt))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Biff8EncryptionKey.setCurrentUserPassword(null);
        }
    }

    /** An OLE2 file with these PowerPoint Document and Current User streams (the latter left out if null). */
    public static byte[] ole2(byte[] documentStream, byte[] currentUser) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            fs.createDocument(new ByteArrayInputStream(documentStream), "PowerPoint Document");
            if (currentUser != null) {
                fs.createDocument(new ByteArrayInputStream(currentUser), "Current User");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DocumentContainer; with a DocInfoList pointing at persist id {@code vbaPersistId} unless 0. */
    public static byte[] document(int vbaPersistId) {
        Le atom = new Le().u32(5760).u32(4320).u32(4320).u32(5760).u32(1).u32(2).u32(0).u32(0)
                .u16(1).u16(0).u8(0).u8(0).u8(0).u8(1);
        ByteArrayOutputStream children = new ByteArrayOutputStream();
        children.writeBytes(record(1, 0, RT_DOCUMENT_ATOM, atom.bytes()));
        if (vbaPersistId != 0) {
            byte[] vbaInfoAtom = record(2, 0, RT_VBA_INFO_ATOM, new Le().u32(vbaPersistId).u32(1).u32(2).bytes());
            children.writeBytes(record(0xF, 0, RT_DOC_INFO_LIST, record(0xF, 0, RT_VBA_INFO, vbaInfoAtom)));
        }
        children.writeBytes(record(0, 0, RT_END_DOCUMENT_ATOM, new byte[0]));
        return record(0xF, 0, RT_DOCUMENT, children.toByteArray());
    }

    /** An ExOleObjStg record holding {@code data}, zlib-compressed after its size (recInstance 1) or not. */
    public static byte[] exOleObjStg(byte[] data, boolean compress) {
        if (!compress) {
            return record(0, 0, RT_EX_OLE_OBJ_STG, data);
        }
        return record(0, 1, RT_EX_OLE_OBJ_STG, compressed(data));
    }

    /** The body of a compressed ExOleObjStg: the uncompressed size, then zlib data. */
    public static byte[] compressed(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new Le().u32(data.length).bytes());
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A UserEditAtom: the previous edit (0: none), the persist directory, the next free persist id. */
    public static byte[] userEdit(int lastEdit, int persistDirectory, int persistIdSeed) {
        return record(0, 0, RT_USER_EDIT_ATOM, new Le().u32(0x100).u16(0).u8(0).u8(3).u32(lastEdit)
                .u32(persistDirectory).u32(1).u32(persistIdSeed).u16(1).u16(0).bytes());
    }

    /** A Current User stream pointing at the UserEditAtom at {@code offsetToCurrentEdit}. */
    public static byte[] currentUser(int offsetToCurrentEdit, boolean encrypted) {
        byte[] user = "Peekaboo".getBytes(StandardCharsets.US_ASCII);
        Le body = new Le().u32(0x14).u32(encrypted ? HEADER_TOKEN_ENCRYPTED : HEADER_TOKEN).u32(offsetToCurrentEdit)
                .u16(user.length).u16(0x03F4).u8(3).u8(0).u16(0).raw(user).u32(8);
        return record(0, 0, RT_CURRENT_USER_ATOM, body.bytes());
    }

    /** A record: 8-byte header (version, instance, type, length), then {@code body}. */
    public static byte[] record(int version, int instance, int type, byte[] body) {
        return new Le().u16(version | instance << 4).u16(type).u32(body.length).raw(body).bytes();
    }

    /** Little-endian writer. */
    public static final class Le {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Le u8(int value) {
            out.write(value);
            return this;
        }

        public Le u16(int value) {
            out.write(value & 0xFF);
            out.write(value >>> 8 & 0xFF);
            return this;
        }

        public Le u32(long value) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
            return this;
        }

        public Le raw(byte[] data) {
            out.writeBytes(data);
            return this;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }
}
