package org.peekaboo.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.detect.CompositeDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;
import org.peekaboo.sample.magic.TikaMagic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File types as Apache Tika sees them, standing in for PeekabooAV's libmagic and Python
 * {@code mimetypes}. Only the first bytes of a file are looked at ({@link FileHead}), never
 * the whole file. All answers are lower-case MIME types without parameters. Thread-safe;
 * one instance is meant to be shared, because building Tika's type registry is costly.
 *
 * <p>Types by content are Tika's ({@code Tika.detect} on the content), computed by
 * {@link TikaMagic} from Tika's own rules at a small fraction of Tika's cost. Should the
 * Tika on the class path detect differently from what TikaMagic reproduces (detectors
 * beyond tika-core's, or a database TikaMagic cannot read), Tika itself is asked instead.
 */
public final class TikaFileTypeDetector implements FileTypeDetector {
    private static final Logger LOG = LoggerFactory.getLogger(TikaFileTypeDetector.class);

    /** What libmagic calls an empty file; the default whitelist relies on this name. */
    public static final String EMPTY_FILE_TYPE = "inode/x-empty";

    private static final String UNKNOWN_TYPE = MediaType.OCTET_STREAM.toString();

    /** Name mappings PeekabooAV adds to what the platform knows. */
    private static final Map<String, String> EXTRA_TYPES_BY_EXTENSION = Map.of("jse", "application/javascript");

    /**
     * Types Tika's core detector reports for OLE2 and OOXML files because it cannot look
     * inside the container; libmagic would name the Office application.
     */
    private static final Set<MediaType> OPAQUE_CONTAINERS = Set.of(
            MediaType.application("x-tika-msoffice"), MediaType.application("x-tika-ooxml"));

    private final Tika tika;
    private final MimeTypes mimeTypes;
    /** Tika's content detection, fast; null when Tika itself has to be asked. */
    private final TikaMagic magic;

    public TikaFileTypeDetector() {
        this.tika = new Tika();
        this.mimeTypes = MimeTypes.getDefaultMimeTypes();
        this.magic = reproducible(tika);
    }

    /**
     * TikaMagic reproduces tika-core's type database and nothing else; with any other
     * detector in Tika's default configuration (Tika's parser modules bring container
     * detectors that look into ZIP and OLE2 files) the answers would differ.
     */
    private static TikaMagic reproducible(Tika tika) {
        Detector detector = tika.getDetector();
        if (!(detector instanceof CompositeDetector composite) || composite.getDetectors().size() != 1
                || !(composite.getDetectors().get(0) instanceof MimeTypes)) {
            LOG.warn("Tika detects content types with {}, not only its type database; asking Tika for each file, "
                    + "which is slow", detector);
            return null;
        }
        try {
            return TikaMagic.load();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read Tika's type database ({}); asking Tika for each file, which is slow", e.toString());
            return null;
        }
    }

    /** Whether content types come from TikaMagic, as they should; for tests. */
    boolean detectsWithTikaMagic() {
        return magic != null;
    }

    /**
     * All three views of the sample. When the content only reveals an opaque Office
     * container and the declared name names a more specific type of that very container
     * (a {@code .doc} that is OLE2), the content type is narrowed to the named one, which
     * is what libmagic reports; a name that contradicts the content changes nothing.
     */
    @Override
    public FileTypeReport detect(Sample sample) throws IOException {
        return detect(sample, sample.content().head());
    }

    /** As {@link #detect(Sample)}, from the head of the sample's content the caller has read. */
    @Override
    public FileTypeReport detect(Sample sample, FileHead head) {
        String byContent = typeByContent(head);
        String byName = typeByName(sample.nameDeclared());
        if (byContent != null && byName != null && isOpaqueContainerNarrowedBy(byContent, byName)) {
            byContent = byName;
        }
        return new FileTypeReport(byContent, byName, typeAsText(byContent));
    }

    /**
     * The type from the content alone (magic bytes, then a text check), or
     * {@value #EMPTY_FILE_TYPE} for an empty file; unrecognised binary data is
     * {@code application/octet-stream}, as with libmagic.
     */
    public String typeByContent(Path file) throws IOException {
        return typeByContent(readHead(file));
    }

    /** As {@link #typeByContent(Path)}, from the head of the content. */
    public String typeByContent(FileHead head) {
        if (head.isEmpty()) {
            return EMPTY_FILE_TYPE;
        }
        if (magic != null) {
            return normalised(magic.detect(head.bytes()));
        }
        try {
            return normalised(tika.detect(new ByteArrayInputStream(head.bytes())));
        } catch (IOException e) {
            throw new IllegalStateException("Tika failed on bytes in memory", e);
        }
    }

    private static FileHead readHead(Path file) throws IOException {
        try {
            return FileHead.read(file);
        } catch (IOException e) {
            throw new IOException("Cannot detect the file type of " + file + ": " + e, e);
        }
    }

    /** The type the declared name suggests, or null when there is no name or it suggests nothing. */
    public String typeByName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String extension = FileExtension.of(name);
        if (extension != null) {
            String extra = EXTRA_TYPES_BY_EXTENSION.get(extension.toLowerCase(Locale.ROOT));
            if (extra != null) {
                return extra;
            }
        }
        String type = normalised(tika.detect(name));
        return UNKNOWN_TYPE.equals(type) ? null : type;
    }

    /** A description of the type for people, or null when Tika has none. */
    public String typeAsText(String type) {
        if (type == null) {
            return null;
        }
        if (EMPTY_FILE_TYPE.equals(type)) {
            return "empty";
        }
        MimeType registered;
        try {
            // Unlike forName, this never adds unknown names to the shared registry.
            registered = mimeTypes.getRegisteredMimeType(type);
        } catch (MimeTypeException malformedType) {
            return null;
        }
        if (registered == null || registered.getDescription().isBlank()) {
            return null;
        }
        return registered.getDescription();
    }

    private boolean isOpaqueContainerNarrowedBy(String byContent, String byName) {
        MediaType container = MediaType.parse(byContent);
        MediaType named = MediaType.parse(byName);
        if (container == null || named == null || !OPAQUE_CONTAINERS.contains(container)) {
            return false;
        }
        MediaTypeRegistry registry = mimeTypes.getMediaTypeRegistry();
        return registry.isSpecializationOf(named, container);
    }

    private static String normalised(String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        MediaType parsed = MediaType.parse(type);
        String base = parsed == null ? type : parsed.getBaseType().toString();
        return base.toLowerCase(Locale.ROOT);
    }
}
