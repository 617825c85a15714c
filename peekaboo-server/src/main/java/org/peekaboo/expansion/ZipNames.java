package org.peekaboo.expansion;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * The name of a ZIP entry as its writer meant it. A name flagged as UTF-8 (general purpose bit 11)
 * or given by a Unicode path extra field is taken as Commons Compress decoded it. Any other name is
 * UTF-8 if its bytes are valid UTF-8 (Info-ZIP on Unix, macOS' Archive Utility and Java write UTF-8
 * without the flag, and ASCII is both), else CP437, the encoding the ZIP specification prescribes and
 * Windows' Explorer writes in western locales.
 */
final class ZipNames {
    private static final Charset CP437 = Charset.isSupported("IBM437") ? Charset.forName("IBM437")
            : StandardCharsets.ISO_8859_1;

    private ZipNames() {
    }

    static String of(ZipArchiveEntry entry) {
        byte[] raw = entry.getRawName();
        if (entry.getNameSource() != ZipArchiveEntry.NameSource.NAME || raw == null) {
            return entry.getName();
        }
        return of(raw);
    }

    /** A name stored as bytes without a declared encoding: UTF-8 if it decodes, else CP437 (also RAR's OEM names). */
    static String of(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, CP437);
        }
    }
}
