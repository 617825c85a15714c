package org.peekaboo.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.peekaboo.expansion.OneNoteFixtures;

/**
 * OneNote droppers for the detection corpus, as sent since 2023: a section whose page shows a
 * "double click to view" picture with a script embedded behind it. They hold the harmless scripts of
 * {@link DropperFiles} (only example.invalid is named) and a PNG header as the picture. Not a complete
 * revision store: Peekaboo finds the embedded files by their FileDataStoreObject GUIDs, as OneNote
 * droppers are taken apart by every analysis of them.
 */
final class DropperOneNote {
    private static final String DIRECTORY = "malicious";

    private DropperOneNote() {
    }

    static List<DropperCorpus.Sample> malicious() {
        return List.of(
                new DropperCorpus.Sample(DIRECTORY, "one-hta-behind-picture.one", OneNoteFixtures.section()
                        .name("image1.png").name("Rechnung_2026-11.hta").raw(text("Double click to view the invoice"))
                        .file(OneNoteFixtures.png()).file(DropperFiles.HTA.getBytes(StandardCharsets.UTF_8))
                        .raw(new byte[64]).bytes()),
                new DropperCorpus.Sample(DIRECTORY, "one-batch-behind-picture.one", OneNoteFixtures.section()
                        .name("Scan_0042.cmd").name("Scan_0042.cmd").file(OneNoteFixtures.png())
                        .file(DropperFiles.BATCH.getBytes(StandardCharsets.UTF_8)).raw(new byte[64]).bytes()));
    }

    /** Page text as OneNote stores it, UTF-16LE: it names no file. */
    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }
}
