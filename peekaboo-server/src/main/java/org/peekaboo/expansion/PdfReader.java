package org.peekaboo.expansion;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.InflaterInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.peekaboo.sample.SampleContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the files attached to a PDF out of it with Apache PDFBox: the embedded files of the
 * document's {@code /EmbeddedFiles} name tree (Acrobat's attachments pane), those of file attachment
 * annotations (a paper clip on a page), and any other file specification with an {@code /EF}
 * embedded file stream (a {@code /GoToE} or a script can reach it). Droppers attach the zip, macro
 * document or script a recipient is told to open; each is judged as a sample of its own.
 *
 * <p>Names are the specification's {@code /UF}, else {@code /F}, else the name tree's key; a file
 * without any is judged by its type. Each file's bytes are decoded as they are copied through
 * {@link ExpansionBudget#copy}: PDFBox's own decoding would inflate a whole stream into memory or a
 * temporary file before the first byte reaches the limits, so an attachment in {@code FlateDecode}
 * (nearly all) or unfiltered is inflated here as a stream; other filters are decoded by PDFBox into
 * at most {@value #MAX_BUFFERED_DECODE} bytes. A PDF encrypted with the empty user password is read
 * (viewers open it without asking); one with a real password is tried with the passwords and
 * otherwise reported encrypted. Never throws for what is in the content.
 */
final class PdfReader implements ContainerReader {
    static final int MAX_BUFFERED_DECODE = 16 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(PdfReader.class);
    private static final long MAX_MAIN_MEMORY = 8L << 20;
    static final int MAX_OBJECTS = 100_000;
    private static final int MAX_DEPTH = 32;
    private static final COSName EMBEDDED_FILES = COSName.getPDFName("EmbeddedFiles");
    private static final COSName FILE_ATTACHMENT = COSName.getPDFName("FileAttachment");
    private static final COSName PREDICTOR = COSName.getPDFName("Predictor");

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        ArchiveMembers members = new ArchiveMembers(ContainerFormat.PDF);
        PDDocument document;
        try {
            document = open(content, passwords, budget);
        } catch (InvalidPasswordException e) {
            members.add(new Finding(Finding.Kind.ENCRYPTED, "PDF document is encrypted and no password opened it"));
            return members.expansion();
        } catch (Exception | StackOverflowError e) {
            Finding stop = members.findingFor(e, "before its first attachment");
            if (stop.kind() != Finding.Kind.UNREADABLE) {
                return members.stoppedBy(e);
            }
            // A PDF PDFBox cannot load (after its own repairs) no viewer shows either, so it carries no
            // attachment anyone can open: it goes on to the type lists, as in pdf_dropper. Calling it
            // damaged would refuse (unreadable_result) what is harmless, such as a text that starts "%PDF-".
            LOG.debug("PDF not opened, PDFBox cannot load it: {}", stop.detail());
            return members.expansion();
        }
        try (document) {
            if (!mayHaveAttachments(document.getDocument(), content, budget)) {
                return members.expansion();
            }
            Attachments attachments = new Attachments(document.getDocument(), budget);
            for (Attachment attachment : attachments.found()) {
                budget.checkTime();
                budget.countMember(attachment.path());
                copy(attachment, content.size(), budget, members);
            }
            if (attachments.tooMany()) {
                members.add(new Finding(Finding.Kind.UNREADABLE, "PDF document has more than " + MAX_OBJECTS
                        + " objects; attachments beyond them were not looked for"));
            }
            return members.expansion();
        } catch (Exception | StackOverflowError e) {
            return members.stoppedBy(e);
        }
    }

    /** The document, opened with the empty password or the first of {@code passwords} that opens it. */
    private static PDDocument open(SampleContent content, Passwords passwords, ExpansionBudget budget)
            throws IOException {
        try {
            return load(content, "");
        } catch (InvalidPasswordException e) {
            for (String password : passwords.candidates()) {
                budget.checkTime();
                try {
                    return load(content, password);
                } catch (InvalidPasswordException wrong) {
                    // The next one, then.
                }
            }
            throw e;
        }
    }

    /**
     * Whether the file may hold a file specification with an embedded file: false only when no name
     * {@code /EF}, written plainly or with {@code #} escapes, is in the file's bytes nor in the
     * inflated bytes of its object streams. Dictionary keys are never encrypted and are compressed
     * only in object streams, so the bytes tell; a PDF without attachments then costs a pass over
     * its bytes and its few object streams instead of a second parse of every object after the
     * pdf_dropper rule's. Object streams this cannot inflate as a stream count as maybe.
     */
    private static boolean mayHaveAttachments(COSDocument document, SampleContent content, ExpansionBudget budget)
            throws IOException {
        try (InputStream in = content.openStream()) {
            if (namesEmbeddedFile(in, budget)) {
                return true;
            }
        }
        // PDFBox keeps an object of an object stream as the negated number of its stream.
        Set<Long> objectStreams = new java.util.TreeSet<>();
        for (Long offset : document.getXrefTable().values()) {
            if (offset != null && offset < 0) {
                objectStreams.add(-offset);
            }
        }
        for (long number : objectStreams) {
            COSObject object = document.getObjectFromPool(new COSObjectKey(number, 0));
            if (!(object.getObject() instanceof COSStream stream)) {
                return true;
            }
            List<COSName> filters = filters(stream);
            boolean flate = filters.size() == 1 && (COSName.FLATE_DECODE.equals(filters.getFirst())
                    || COSName.FLATE_DECODE_ABBREVIATION.equals(filters.getFirst())) && !predicted(stream, 0);
            if (!filters.isEmpty() && !flate) {
                return true;
            }
            try (InputStream raw = stream.createRawInputStream();
                 InputStream in = flate ? new InflaterInputStream(raw) : raw) {
                if (namesEmbeddedFile(in, budget)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code in} holds the name {@code /EF}: "/EF", "/E#46", "/#45F", "/#45#46" (or a longer name). */
    private static boolean namesEmbeddedFile(InputStream in, ExpansionBudget budget) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int before2 = -1;
        int before = -1;
        int read;
        while ((read = in.read(buffer)) != -1) {
            budget.checkTime();
            for (int i = 0; i < read; i++) {
                int b = buffer[i];
                if (before2 == '/' && (before == 'E' || before == '#') && (b == 'F' || b == '#' || b == '4')) {
                    return true;
                }
                before2 = before;
                before = b;
            }
        }
        return false;
    }

    private static PDDocument load(SampleContent content, String password) throws IOException {
        // As in the pdf_dropper rule: main memory is bounded, the rest of PDFBox's cache goes to a temporary file.
        RandomAccessReadBufferedFile file = new RandomAccessReadBufferedFile(content.file());
        try {
            return Loader.loadPDF(file, password, null, null, MemoryUsageSetting.setupMixed(MAX_MAIN_MEMORY).streamCache);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            file.close();
            throw e;
        }
    }

    /** One attachment; one that cannot be decoded is reported and the others are read all the same. */
    private static void copy(Attachment attachment, long containerSize, ExpansionBudget budget,
                             ArchiveMembers members) throws IOException {
        String path = attachment.path();
        try (InputStream in = decoded(attachment.file(), budget)) {
            members.add(budget.copy(in, path, packedSize(attachment.file(), containerSize)), path);
        } catch (IOException | RuntimeException e) {
            if (ArchiveMembers.stops(e)) {
                throw e;
            }
            members.add(members.findingFor(e, "at " + (path == null ? "an attachment without a name" : '"' + path + '"')));
        }
    }

    /**
     * What the ratio limit divides by: the stream's encoded length, never more than the whole file (a
     * forged {@code /Length} must not hide a bomb); 0 for an unfiltered stream, which is stored as it is.
     */
    private static long packedSize(COSStream file, long containerSize) {
        if (filters(file).isEmpty()) {
            return 0;
        }
        long length = file.getLength();
        return length <= 0 ? containerSize : Math.min(length, containerSize);
    }

    private static InputStream decoded(COSStream file, ExpansionBudget budget) throws IOException {
        List<COSName> filters = filters(file);
        InputStream in = file.createRawInputStream();
        try {
            for (int i = 0; i < filters.size(); i++) {
                COSName filter = filters.get(i);
                if ((COSName.FLATE_DECODE.equals(filter) || COSName.FLATE_DECODE_ABBREVIATION.equals(filter))
                        && !predicted(file, i)) {
                    in = new InflaterInputStream(in);
                } else {
                    in = buffered(in, FilterFactory.INSTANCE.getFilter(filter), file, i, budget);
                }
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Decodes a filter Peekaboo does not stream itself with PDFBox, into a bounded buffer. */
    private static InputStream buffered(InputStream in, Filter filter, COSStream file, int index,
                                        ExpansionBudget budget) throws IOException {
        try (in) {
            BoundedBuffer out = new BoundedBuffer(budget);
            filter.decode(in, out, file, index);
            return new ByteArrayInputStream(out.bytes(), 0, out.size());
        }
    }

    /** The stream's filters, in order; an unknown shape counts as none (PDFBox reads such a stream raw too). */
    private static List<COSName> filters(COSStream file) {
        COSBase filters = file.getFilters();
        if (filters instanceof COSName one) {
            return List.of(one);
        }
        List<COSName> names = new ArrayList<>();
        if (filters instanceof COSArray array) {
            for (int i = 0; i < array.size() && i < MAX_DEPTH; i++) {
                if (array.getObject(i) instanceof COSName filter) {
                    names.add(filter);
                }
            }
        }
        return names;
    }

    /** Whether the filter's parameters ask for a PNG or TIFF predictor, which only PDFBox undoes. */
    private static boolean predicted(COSStream file, int index) {
        COSBase parameters = file.getDictionaryObject(COSName.DECODE_PARMS, COSName.DP);
        if (parameters instanceof COSArray array) {
            parameters = index < array.size() ? array.getObject(index) : null;
        }
        return parameters instanceof COSDictionary dictionary
                && dictionary.getDictionaryObject(PREDICTOR) instanceof COSNumber predictor && predictor.intValue() > 1;
    }

    /** An attached file: its embedded file stream and its name, or null. */
    private record Attachment(COSStream file, String path) {
    }

    /**
     * Finds the attachments: first the name tree's (in the order a viewer lists them, named by their
     * key when the specification has no name), then every other file specification among the file's
     * objects, file attachment annotations among them. Each embedded file stream
     * counts once however many specifications point at it. The objects, the nesting and the trees are
     * bounded, and a loop in them is followed once.
     */
    private static final class Attachments {
        private final COSDocument document;
        private final ExpansionBudget budget;
        private final List<Attachment> found = new ArrayList<>();
        private final Set<COSBase> files = newIdentitySet();
        private final Set<COSBase> seen = newIdentitySet();
        private boolean tooMany;

        Attachments(COSDocument document, ExpansionBudget budget) {
            this.document = document;
            this.budget = budget;
        }

        List<Attachment> found() throws IOException {
            COSDictionary catalog = document.getTrailer().getCOSDictionary(COSName.ROOT);
            if (catalog != null && catalog.getDictionaryObject(COSName.NAMES) instanceof COSDictionary names) {
                nameTree(names.getDictionaryObject(EMBEDDED_FILES), 0);
            }
            int count = 0;
            for (COSObjectKey key : List.copyOf(document.getXrefTable().keySet())) {
                if (++count > MAX_OBJECTS) {
                    tooMany = true;
                    break;
                }
                if (count % 1000 == 0) {
                    budget.checkTime();
                }
                COSObject object = document.getObjectFromPool(key);
                walk(object.getObject(), 0);
            }
            return found;
        }

        /** Whether {@link #found()} stopped at {@value PdfReader#MAX_OBJECTS} objects. */
        boolean tooMany() {
            return tooMany;
        }

        private void nameTree(COSBase node, int depth) {
            if (depth > MAX_DEPTH || !(node instanceof COSDictionary tree) || seen.contains(tree)) {
                return;
            }
            if (tree.getDictionaryObject(COSName.NAMES) instanceof COSArray names) {
                for (int i = 1; i < names.size(); i += 2) {
                    if (names.getObject(i) instanceof COSDictionary spec) {
                        String key = names.getObject(i - 1) instanceof COSString s ? s.getString() : null;
                        specification(spec, key);
                    }
                }
            }
            if (tree.getDictionaryObject(COSName.KIDS) instanceof COSArray kids) {
                for (int i = 0; i < kids.size(); i++) {
                    nameTree(kids.getObject(i), depth + 1);
                }
            }
        }

        /** A value and what is written inside it; referenced objects are looked at on their own. */
        private void walk(COSBase value, int depth) {
            if (value == null || depth > MAX_DEPTH || !seen.add(value)) {
                return;
            }
            if (value instanceof COSDictionary dictionary) {
                if (FILE_ATTACHMENT.equals(dictionary.getCOSName(COSName.SUBTYPE))
                        && dictionary.getDictionaryObject(COSName.FS) instanceof COSDictionary spec) {
                    specification(spec, null);
                }
                specification(dictionary, null);
                for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                    if (!(entry.getValue() instanceof COSObject)) {
                        walk(entry.getValue(), depth + 1);
                    }
                }
            } else if (value instanceof COSArray array) {
                for (int i = 0; i < array.size(); i++) {
                    if (!(array.get(i) instanceof COSObject)) {
                        walk(array.get(i), depth + 1);
                    }
                }
            }
        }

        private void specification(COSDictionary spec, String key) {
            if (!(spec.getDictionaryObject(COSName.EF) instanceof COSDictionary streams)) {
                return;
            }
            COSStream file = null;
            for (COSName field : List.of(COSName.UF, COSName.F, COSName.DOS, COSName.UNIX, COSName.MAC)) {
                if (file == null && streams.getDictionaryObject(field) instanceof COSStream stream) {
                    file = stream;
                }
            }
            if (file == null || !files.add(file)) {
                return;
            }
            found.add(new Attachment(file, name(spec, key)));
        }

        private static String name(COSDictionary spec, String key) {
            for (COSName field : List.of(COSName.UF, COSName.F)) {
                if (spec.getDictionaryObject(field) instanceof COSString name && !name.getString().isBlank()) {
                    return name.getString();
                }
            }
            return key == null || key.isBlank() ? null : key;
        }

        private static Set<COSBase> newIdentitySet() {
            return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        }
    }

    /**
     * Holds what a filter decodes, up to {@value PdfReader#MAX_BUFFERED_DECODE} bytes and the size left in the
     * budget: beyond either the decoding stops with a limit.
     */
    private static final class BoundedBuffer extends OutputStream {
        private final long limit;
        private byte[] bytes = new byte[8192];
        private int size;

        BoundedBuffer(ExpansionBudget budget) {
            long left = Math.max(0, budget.settings().maxUnpackedSize() - budget.unpacked());
            this.limit = Math.min(MAX_BUFFERED_DECODE, left);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (size + (long) length > limit) {
                throw new LimitReachedException(new Finding(Finding.Kind.SIZE, "an attachment of the PDF decodes to"
                        + " more than " + limit + " bytes in a filter other than FlateDecode"));
            }
            if (size + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(2L * bytes.length, size + length)));
            }
            System.arraycopy(buffer, offset, bytes, size, length);
            size += length;
        }

        byte[] bytes() {
            return bytes;
        }

        int size() {
            return size;
        }
    }
}
