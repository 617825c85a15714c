package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.UndecidableDocumentException.Kind;

class EncryptedDocumentsTest {
    private static final Map<String, String> DROPPER = module("ThisWorkbook",
            "Private Sub Workbook_Open()",
            "  CreateObject(\"WScript.Shell\").Run \"powershell -enc AAAA\", 0",
            "End Sub");

    private final MacroAnalyzer analyzer = MacroAnalyzer.withDefaultLimits();

    @TempDir
    Path dir;

    @Test
    void ooxmlEncryptedWithExcelsDefaultPasswordIsDecryptedAndAnalysed() throws IOException {
        for (EncryptionMode mode : new EncryptionMode[] {EncryptionMode.agile, EncryptionMode.standard}) {
            OleReport report = analyze(OfficeFiles.encryptedOoxml(OfficeFiles.xlsm(DROPPER), "VelvetSweatshop", mode));

            assertThat(report.autoexecTriggers()).as(mode.name()).containsExactly("Workbook_Open");
            assertThat(report.vbaCode()).contains("powershell -enc");
        }
    }

    @Test
    void ooxmlEncryptedWithTheEmptyPasswordIsAnalysedToo() throws IOException {
        OleReport report = analyze(OfficeFiles.encryptedOoxml(OfficeFiles.docx(), "", EncryptionMode.agile));

        assertThat(report).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void ooxmlWithAnotherPasswordIsEncrypted() {
        byte[] file = OfficeFiles.encryptedOoxml(OfficeFiles.xlsm(DROPPER), "Gehalt2026!", EncryptionMode.agile);

        OfficeDocumentException e = catchThrowableOfType(OfficeDocumentException.class, () -> analyze(file));

        assertThat(e.kind()).isEqualTo(Kind.ENCRYPTED);
        assertThat(e).hasMessageContaining("password other than Office's default ones");
    }

    @Test
    void anXlsEncryptedWithVelvetSweatshopShowsItsExcel4Macros() throws IOException {
        OleReport report = analyze(OfficeFiles.encryptedXlsWithXlmFormulas("VelvetSweatshop",
                "EXEC(\"cmd /c calc\")", "HALT()"));

        assertThat(report.hasXlmMacros()).isTrue();
        assertThat(report.xlmCode()).contains("EXEC(\"cmd /c calc\")");
        assertThat(report.autoexecTriggers()).containsExactly("Auto_Open");
        assertThat(Biff8EncryptionKey.getCurrentUserPassword()).isNull();
    }

    @Test
    void anXlsWithAnotherPasswordIsEncrypted() {
        byte[] file = OfficeFiles.encryptedXlsWithXlmFormulas("geheim", "EXEC(\"cmd /c calc\")");

        OfficeDocumentException e = catchThrowableOfType(OfficeDocumentException.class, () -> analyze(file));

        assertThat(e.kind()).isEqualTo(Kind.ENCRYPTED);
    }

    @Test
    void corruptDocumentsAreUnreadable() {
        byte[] cut = OfficeFiles.encryptedOoxml(OfficeFiles.xlsm(DROPPER), "VelvetSweatshop", EncryptionMode.agile);
        byte[] truncated = Arrays.copyOf(cut, cut.length / 2);

        for (byte[] file : new byte[][] {OfficeFiles.encryptedOoxml(), truncated}) {
            OfficeDocumentException e = catchThrowableOfType(OfficeDocumentException.class, () -> analyze(file));

            assertThat(e.kind()).isEqualTo(Kind.UNREADABLE);
        }
    }

    private OleReport analyze(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("sample"), content);
        return analyzer.analyze(file);
    }
}
