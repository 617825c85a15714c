package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.ExpansionEngines.declared;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.ExpansionEngines;
import org.peekaboo.expansion.OneNoteFixtures;
import org.peekaboo.verdict.Result;

/** The built-in ruleset on OneNote sections: the files embedded in them are judged like attachments. */
class OneNoteExpansionTest {
    private static final String HTA = "<html><head><hta:application id=\"x\"/><script language=\"VBScript\">"
            + "CreateObject(\"WScript.Shell\").Run \"cmd /c echo example.invalid\"</script></head></html>";

    @RegisterExtension
    final ExpansionEngines engines = new ExpansionEngines();

    @Test
    void aSectionHidingAnHtaBehindAPictureIsBad() throws Exception {
        Path one = engines.write("p001", OneNoteFixtures.section().name("image1.png").name("Invoice.hta")
                .file(OneNoteFixtures.png()).file(HTA.getBytes(StandardCharsets.UTF_8)).bytes());

        JudgedSample judged = engines.judge(declared(one, "Invoice.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("script_attachment");
        assertThat(judged.decidingMember()).isEqualTo("Invoice.one/Invoice.hta");
        assertThat(engines.spoolFiles()).isEmpty();
    }

    @Test
    void aSectionWithABatchFileIsBad() throws Exception {
        Path one = engines.write("p002", OneNoteFixtures.section().name("open.bat")
                .file("@echo off\r\necho example.invalid\r\n".getBytes(StandardCharsets.US_ASCII)).bytes());

        JudgedSample judged = engines.judge(declared(one, "Scan.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).isEqualTo("Scan.one/open.bat");
    }

    @Test
    void aSectionWithAPictureAndATextFileIsNotBad() throws Exception {
        Path one = engines.write("p003", OneNoteFixtures.section().name("image1.png").name("minutes.txt")
                .file(OneNoteFixtures.png()).file("Minutes of the meeting.".getBytes(StandardCharsets.US_ASCII))
                .bytes());

        JudgedSample judged = engines.judge(declared(one, "Meeting.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isNotEqualTo(Result.BAD);
        assertThat(judged.members()).hasSize(2);
    }

    @Test
    void aBatchFileWhoseNameWasNotFoundIsBadByItsType() throws Exception {
        Path one = engines.write("p004", OneNoteFixtures.section()
                .file(OneNoteFixtures.png()).file("@echo off\r\necho example.invalid\r\n".getBytes(StandardCharsets.US_ASCII))
                .bytes());

        JudgedSample judged = engines.judge(declared(one, "Invoice.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("script_attachment");
        assertThat(judged.decidingMember()).isEqualTo("Invoice.one/part 2");
    }
}
