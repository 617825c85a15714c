package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.ExpansionEngines.declared;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.ExpansionEngines;
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.verdict.Result;

/** The built-in ruleset on PDFs: the files attached to them are judged like the members of a zip. */
class PdfExpansionTest {
    private static final byte[] JSCRIPT = "var sh = new ActiveXObject(\"WScript.Shell\");\r\n"
            .concat("sh.Run(\"cmd /c echo example.invalid\", 0);\r\n").getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    final ExpansionEngines engines = new ExpansionEngines();

    @Test
    void aMacroDropperAttachedToAPdfIsBadByTheMacroRules() throws Exception {
        Path pdf = engines.write("p001", DropperPdfs.attachments(Map.of("Bestellung.doc", DropperPdfs.wordDropper(true))));

        JudgedSample judged = engines.judge(declared(pdf, "Bestellung.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("office_macro_dropper");
        assertThat(judged.decidingMember()).isEqualTo("Bestellung.pdf/Bestellung.doc");
        assertThat(engines.spoolFiles()).isEmpty();
    }

    @Test
    void aScriptInAZipAttachedToAPdfIsBad() throws Exception {
        Path pdf = engines.write("p002", DropperPdfs.attachments(Map.of("Rechnung.zip", DropperPdfs.zip("Rechnung.js", JSCRIPT))));

        JudgedSample judged = engines.judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("script_attachment");
        assertThat(judged.decidingMember()).isEqualTo("Rechnung.pdf/Rechnung.zip/Rechnung.js");
        assertThat(engines.spoolFiles()).isEmpty();
    }

    @Test
    void aPdfInAPdfIsOpenedInTurn() throws Exception {
        byte[] inner = DropperPdfs.attachments(Map.of("Rechnung.zip", DropperPdfs.zip("Rechnung.js", JSCRIPT)));
        Path pdf = engines.write("p003", DropperPdfs.attachments(Map.of("Anlage.pdf", inner)));

        JudgedSample judged = engines.judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).isEqualTo("Rechnung.pdf/Anlage.pdf/Rechnung.zip/Rechnung.js");
    }

    @Test
    void harmlessAttachmentsAreNotBad() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Protokoll.txt", "Protokoll der Sitzung.".getBytes(StandardCharsets.UTF_8));
        files.put("Zahlen.csv", "Monat;Betrag\nOktober;1200\n".getBytes(StandardCharsets.UTF_8));
        Path pdf = engines.write("p004", DropperPdfs.attachments(files));

        JudgedSample judged = engines.judge(declared(pdf, "Protokoll.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isNotEqualTo(Result.BAD);
        assertThat(judged.members()).hasSize(2);
        assertThat(engines.judge(declared(engines.write("p005", DropperPdfs.plain()), "Brief.pdf")).members()).isEmpty();
    }

    @Test
    void aPdfFoundBadByItsOwnRulesIsNotOpened() throws Exception {
        Path pdf = engines.write("p006", DropperPdfs.attachmentAnnotation("Rechnung.js", JSCRIPT));

        JudgedSample judged = engines.judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("pdf_dropper");
        assertThat(judged.members()).isEmpty();
    }

    @Test
    void aPdfEncryptedWithAPasswordIsReportedEncrypted() throws Exception {
        Path pdf = engines.write("p007", DropperPdfs.encrypted(DropperPdfs.attachments(Map.of("Rechnung.zip",
                DropperPdfs.zip("Rechnung.js", JSCRIPT))), "Geheim-2026"));

        JudgedSample judged = engines.judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.members()).isEmpty();
        assertThat(judged.verdict().report().toString()).contains("Encrypted");
    }
}
