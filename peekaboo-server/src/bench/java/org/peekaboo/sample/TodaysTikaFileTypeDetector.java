package org.peekaboo.sample;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;

/**
 * The detector as it was before TikaMagic (commit 7bfd76d), unchanged but for its name:
 * the benchmark's baseline.
 *
 * <p>File types as Apache Tika sees them, standing in for PeekabooAV's libmagic and Python
 * {@code mimetypes}. Only the first bytes of a file are read (Tika's magic window), never
 * the whole file. All answers are lower-case MIME types without parameters. Thread-safe;
 * one instance is meant to be shared, because building Tika's type registry is costly.
 */
public final class TodaysTikaFileTypeDetector implements FileTypeDetector {
    /** What libmagic calls an empty file; the default whitelist relies on this name. */
    public static final String EMPTY_FILE_TYPE = "inode/x-empty";

    private static final String UNKNOWN_TYPE = MediaType.OCTET_STREAM.toString();
    private static final int READ_BUFFER_SIZE = 64 * 1024;

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

    public TodaysTikaFileTypeDetector() {
        this.tika = new Tika();
        this.mimeTypes = MimeTypes.getDefaultMimeTypes();
    }

    /**
     * All three views of the sample. When the content only reveals an opaque Office
     * container and the declared name names a more specific type of that very container
     * (a {@code .doc} that is OLE2), the content type is narrowed to the named one, which
     * is what libmagic reports; a name that contradicts the content changes nothing.
     */
    @Override
    public FileTypeReport detect(Sample sample) throws IOException {
        String byContent = typeByContent(sample.content().file());
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
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_SIZE)) {
            in.mark(1);
            if (in.read() == -1) {
                return EMPTY_FILE_TYPE;
            }
            in.reset();
            return normalised(tika.detect(in));
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
