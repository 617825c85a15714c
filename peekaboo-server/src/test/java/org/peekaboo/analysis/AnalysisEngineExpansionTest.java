package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.ExpansionEngines.declared;
import static org.peekaboo.analysis.testing.ExpansionEngines.judge;

import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.ExpansionEngines;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.FinalRule;
import org.peekaboo.ruleset.KnownRule;
import org.peekaboo.ruleset.MacroReportSource;
import org.peekaboo.ruleset.OfficeMacroRule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.Verdict;

/**
 * Containers through the whole engine with the built-in ruleset: members judged, stored and known
 * like any file, the container's verdict the worst, limits and encryption judged by their policy.
 */
class AnalysisEngineExpansionTest {
    private static final String MARKER = "X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*";

    @RegisterExtension
    final ExpansionEngines engines = new ExpansionEngines();

    @Test
    void aZipInAZipHoldingTheMarkerIsBadAndEveryMemberIsStoredAndKnownAfter() throws Exception {
        byte[] inner = zip(entry("docs/readme.txt", "Nothing to see."), entry("docs/marked.txt", "x " + MARKER));
        Path outer = write("invoice.zip", zip(entry("inner.zip", inner), entry("notes.txt", "Notes.")));
        AnalysisEngine engine = engine(ExpansionSettings.defaults());

        JudgedSample judged = judge(engine, declared(outer, "invoice.zip")).getFirst();

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("contains_peekabooyar");
        assertThat(judged.verdict().reason()).startsWith("member \"invoice.zip/inner.zip/docs/marked.txt\": ");
        assertThat(judged.decidingMember()).isEqualTo("invoice.zip/inner.zip/docs/marked.txt");
        assertThat(paths(judged)).containsExactly("invoice.zip/inner.zip", "invoice.zip/inner.zip/docs/readme.txt",
                "invoice.zip/inner.zip/docs/marked.txt", "invoice.zip/notes.txt");
        assertThat(judged.members().getFirst().members().get(1).sample().nameDeclared()).isEqualTo("marked.txt");
        assertThat(engines.store().all()).hasSize(5);

        JudgedSample again = judge(engine, declared(outer, "invoice.zip")).getFirst();
        assertThat(again.verdict().result()).isEqualTo(Result.BAD);
        assertThat(engines.store().all()).hasSize(10);
        assertThat(again.members().getFirst().members().get(1).verdict().report().getFirst().rule())
                .isEqualTo("known");
        assertThat(engines.spoolFiles()).isEmpty();
    }

    @Test
    void aZipOfAZipOfAMacroDocumentIsBadByTheOfficeMacroRule() throws Exception {
        byte[] docm = OfficeFiles.docm(OfficeFiles.module("ThisDocument", "Sub AutoOpen()",
                "  Shell \"cmd /c calc.exe\"", "End Sub"));
        byte[] inner = zip(entry("Rechnung.docm", docm));
        Path outer = write("p002", zip(entry("inner.zip", inner), entry("readme.txt", "Read me.")));
        Ruleset office = new Ruleset(List.of(new KnownRule(engines.store()),
                new OfficeMacroRule(new MacroReportSource(OleReportSource.withDefaultLimits())), new FinalRule()),
                new TikaFileTypeDetector());

        JudgedSample judged = judge(engine(office, ExpansionSettings.defaults()), declared(outer, "invoice.zip"))
                .getFirst();

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("office_macro");
        assertThat(judged.decidingMember()).isEqualTo("invoice.zip/inner.zip/Rechnung.docm");
        // A document is judged whole, never opened as the ZIP it also is.
        JudgedSample document = judged.members().getFirst().members().getFirst();
        assertThat(document.members()).isEmpty();
        Path docx = write("p003", OfficeFiles.docx());
        assertThat(judge(engine(office, ExpansionSettings.defaults()), declared(docx, "letter.docx")).getFirst()
                .members()).isEmpty();
    }

    @Test
    void aWholeMessageWithAnEncryptedZipIsOpenedWithThePasswordInItsBody() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("billing@example.org");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Ihre Rechnung liegt bei.\nPasswort: Xy-77!\n", "utf-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(
                encryptedZip("Xy-77!", "rechnung.txt", "x " + MARKER), "application/zip")));
        attachment.setFileName("Rechnung.zip");
        message.setContent(new MimeMultipart(body, attachment));
        message.saveChanges();
        ByteArrayOutputStream eml = new ByteArrayOutputStream();
        message.writeTo(eml);
        Path mail = write("mail.eml", eml.toByteArray());

        JudgedSample judged = judge(engine(ExpansionSettings.defaults()), declared(mail, "mail.eml")).getFirst();

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).isEqualTo("mail.eml/Rechnung.zip/rechnung.txt");
        assertThat(paths(judged)).containsExactly("mail.eml/part 1", "mail.eml/Rechnung.zip",
                "mail.eml/Rechnung.zip/rechnung.txt");
    }

    @Test
    void eximsCopyOfAMessageWithItsMboxFromLineIsOpenedPartByPart() throws Exception {
        // What Exim 4.96 sends its clamd scanner (SCAN names this file, zINSTREAM streams it):
        // an mbox "From " line and envelope headers before the message. Tika calls it an mbox.
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("billing@example.org");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Please pay.\n", "utf-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(("due\n" + MARKER + "\n")
                .getBytes(StandardCharsets.US_ASCII), "text/plain")));
        attachment.setFileName("invoice.txt");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        message.setContent(new MimeMultipart(body, attachment));
        message.saveChanges();
        ByteArrayOutputStream eml = new ByteArrayOutputStream();
        eml.writeBytes(("From MAILER-DAEMON Sun Dec 06 12:29:54 2026\nX-Envelope-From: <c@d.test>\n"
                + "X-Envelope-To: a@b.test\nReceived: from [127.0.0.1] (helo=vm)\n\tby exim.test with esmtp "
                + "(Exim 4.96)\n\tid 1xaBNK-0005MS-05\n").getBytes(StandardCharsets.US_ASCII));
        message.writeTo(eml);
        Path mail = write("1xaBNK-0005MS-05.eml", eml.toByteArray());

        JudgedSample judged = judge(engine(ExpansionSettings.defaults()),
                SampleDeclaration.ofPath(mail.toString())).getFirst();

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).endsWith("/invoice.txt");
    }

    @Test
    void aLaterMessageOfAnMboxIsOpenedPartByPart() throws Exception {
        // The marker travels base64-encoded in the second message: read as the first message's
        // body it would stay encoded, so only the second message's own MIME structure finds it.
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        mbox.writeBytes("From alice@example.org Mon Nov 30 09:12:01 2026\n".getBytes(StandardCharsets.US_ASCII));
        mbox.writeBytes(mailWith("Minutes.\n", "minutes.txt", "nothing to see\n"));
        mbox.writeBytes("\nFrom billing@example.org Tue Dec  1 17:40:13 2026\n".getBytes(StandardCharsets.US_ASCII));
        mbox.writeBytes(mailWith("Please pay.\n", "invoice.txt", "due\n" + MARKER + "\n"));
        Path archive = write("archive.mbox", mbox.toByteArray());

        JudgedSample judged = judge(engine(ExpansionSettings.defaults()), declared(archive, "archive.mbox")).getFirst();

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).isEqualTo("archive.mbox/part 3/invoice.txt");
    }

    private static byte[] mailWith(String text, String name, String attached) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("billing@example.org");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "utf-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(attached.getBytes(StandardCharsets.US_ASCII),
                "application/octet-stream")));
        attachment.setFileName(name);
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        message.setContent(new MimeMultipart(body, attachment));
        message.saveChanges();
        ByteArrayOutputStream eml = new ByteArrayOutputStream();
        message.writeTo(eml);
        return eml.toByteArray();
    }

    @Test
    void aTarGzOfCleanFilesIsGoodWithEveryMemberJudged() throws Exception {
        Path tgz = write("logs.tar.gz", tarGz(entry("a.txt", "alpha"), entry("b/c.txt", "gamma")));

        JudgedSample judged = judge(engine(ExpansionSettings.defaults()), declared(tgz, "logs.tar.gz")).getFirst();

        assertThat(judged.verdict().verdict()).as(judged.toString()).isEqualTo(Verdict.GOOD);
        assertThat(paths(judged)).containsExactly("logs.tar.gz/logs.tar", "logs.tar.gz/logs.tar/a.txt",
                "logs.tar.gz/logs.tar/b/c.txt");
    }

    @Test
    void anEncryptedZipIsOpenedWithThePasswordFromTheRequestsTextFile() throws Exception {
        Path body = write("p001", "Guten Tag,\nanbei die Rechnung. Das Passwort lautet: Rg-2024!\n");
        Path locked = write("p002", encryptedZip("Rg-2024!", "rechnung.txt", "x " + MARKER));
        AnalysisEngine engine = engine(ExpansionSettings.defaults());

        List<JudgedSample> judged = judge(engine, new SampleDeclaration(body.toString(), null, "text/plain", "inline"),
                declared(locked, "rechnung.zip"));

        assertThat(judged.get(1).verdict().result()).as(judged.get(1).toString()).isEqualTo(Result.BAD);
        assertThat(judged.get(1).verdict().rule()).isEqualTo("contains_peekabooyar");
        assertThat(judged.get(1).decidingMember()).isEqualTo("rechnung.zip/rechnung.txt");
    }

    @Test
    void anEncryptedZipNoPasswordOpensGetsTheConfiguredResult() throws Exception {
        Path locked = write("p002", encryptedZip("not-in-the-mail", "rechnung.txt", "harmless"));

        JudgedSample passed = judge(engine(ExpansionSettings.defaults()), declared(locked, "rechnung.zip")).getFirst();
        assertThat(passed.verdict().verdict()).as(passed.toString()).isEqualTo(Verdict.GOOD);
        assertThat(passed.verdict().report()).anySatisfy(rule -> {
            assertThat(rule.rule()).isEqualTo("expansion");
            assertThat(rule.result()).isEqualTo(Result.IGNORED);
            assertThat(rule.reason()).startsWith("Encrypted content could not be opened");
        });

        ExpansionSettings strict = withResults(Result.BAD, Result.BAD, Result.FAILED);
        JudgedSample bad = judge(engine(strict), declared(locked, "rechnung2.zip")).getFirst();
        assertThat(bad.verdict().result()).isEqualTo(Result.BAD);
        assertThat(bad.verdict().rule()).isEqualTo("expansion");
        assertThat(bad.verdict().reason()).startsWith("Encrypted content could not be opened");
    }

    @Test
    void aZipBombStopsAtTheRatioLimitAndIsBad() throws Exception {
        Path bomb = engines.dir().resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 200; i++) {
                out.write(zeros);
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1024 * 1024);

        JudgedSample judged = judge(engine(ExpansionSettings.defaults()), declared(bomb, "bomb.zip")).getFirst();

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("expansion");
        assertThat(judged.verdict().reason()).contains("max_ratio");
        assertThat(engines.spoolFiles()).isEmpty();
    }

    @Test
    void containersNestedDeeperThanTheLimitAreNotOpened() throws Exception {
        byte[] nested = zip(entry("deepest.txt", "x " + MARKER));
        for (int i = 0; i < 4; i++) {
            nested = zip(entry("level" + i + ".zip", nested));
        }
        Path deep = write("deep.zip", nested);
        ExpansionSettings shallow = new ExpansionSettings(true, 2, 1000, 1L << 30, 100, 1L << 20,
                Duration.ofSeconds(30), List.of(), true, 10, Result.BAD, Result.BAD, Result.FAILED, Result.FAILED);

        JudgedSample judged = judge(engine(shallow), declared(deep, "deep.zip")).getFirst();

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("expansion");
        assertThat(judged.verdict().reason()).contains("max_depth");
        assertThat(paths(judged)).hasSize(2);
    }

    @Test
    void aTruncatedZipIsRefusedAtOnceKeepsWhatWasReadAndTheEngineServesOn() throws Exception {
        byte[] whole = zip(entry("first.txt", "first file"), entry("second.txt", "second ".repeat(5000)));
        Path cut = write("cut.zip", Arrays.copyOf(whole, whole.length / 2));
        AnalysisEngine engine = engine(ExpansionSettings.defaults());

        JudgedSample judged = judge(engine, declared(cut, "cut.zip")).getFirst();

        // Final and closed: a retry would read the same bytes, and 7-Zip may open what Peekaboo cannot.
        assertThat(judged.verdict().verdict()).as(judged.toString()).isEqualTo(Verdict.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("expansion");
        assertThat(judged.verdict().reason()).startsWith("The container is damaged or cannot be read");
        assertThat(paths(judged)).contains("cut.zip/first.txt");

        Path garbage = write("broken.eml", "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Transfer-"
                + "Encoding: base64\n\n@@@@not base64@@@@");
        Path clean = write("clean.txt", "Nothing to see.");
        List<JudgedSample> after = judge(engine, declared(garbage, "broken.eml"), declared(clean, "c.txt"));
        assertThat(after.get(0).members()).isNotEmpty();
        assertThat(after.get(1).verdict().verdict()).isEqualTo(Verdict.GOOD);
    }

    @Test
    void aSampleWhoseTypeCannotBeDetectedIsUndecidedNotPassed() throws Exception {
        Path outer = write("invoice.zip", zip(entry("marked.txt", "x " + MARKER)));
        // The rules never ask for the type, so only the engine's look for a container meets the failure.
        Ruleset blind = new Ruleset(List.of(new FinalRule()), sample -> {
            throw new IOException("detector unavailable");
        });

        JudgedSample judged = judge(engine(blind, ExpansionSettings.defaults()), declared(outer, "invoice.zip"))
                .getFirst();

        assertThat(judged.verdict().verdict()).as(judged.toString()).isEqualTo(Verdict.UNCHECKED);
        assertThat(judged.verdict().rule()).isEqualTo("expansion");
        assertThat(judged.verdict().reason()).contains("detector unavailable");
        assertThat(judged.members()).isEmpty();
    }

    @Test
    void withExpansionOffAContainerIsJudgedAsOneFile() throws Exception {
        Path outer = write("invoice.zip", zip(entry("marked.txt", "x " + MARKER)));
        ExpansionSettings off = new ExpansionSettings(false, 8, 1000, 1L << 30, 100, 1L << 20,
                Duration.ofSeconds(30), List.of(), true, 10, Result.BAD, Result.BAD, Result.FAILED, Result.FAILED);

        JudgedSample judged = judge(engine(off), declared(outer, "invoice.zip")).getFirst();

        assertThat(judged.members()).isEmpty();
        assertThat(judged.verdict().verdict()).isNotEqualTo(Verdict.BAD);
    }

    private AnalysisEngine engine(ExpansionSettings settings) {
        return engines.engine(settings);
    }

    private AnalysisEngine engine(Ruleset ruleset, ExpansionSettings settings) {
        return engines.engine(ruleset, settings);
    }

    private static ExpansionSettings withResults(Result limit, Result encrypted, Result unreadable) {
        ExpansionSettings d = ExpansionSettings.defaults();
        return new ExpansionSettings(true, d.maxDepth(), d.maxMembers(), d.maxUnpackedSize(), d.maxRatio(),
                d.ratioThreshold(), d.maxTime(), d.passwords(), true, d.maxPasswordWords(), limit, encrypted, unreadable,
                d.unsupportedResult());
    }

    /** Every member's chain, depth first. */
    private static List<String> paths(JudgedSample judged) {
        List<String> paths = new ArrayList<>();
        for (JudgedSample member : judged.members()) {
            paths.add(member.sample().declaredPath());
            paths.addAll(paths(member));
        }
        return paths;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return engines.write(name, bytes);
    }

    private record Entry(String name, byte[] bytes) {
    }

    private static Entry entry(String name, String text) {
        return new Entry(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Entry entry(String name, byte[] bytes) {
        return new Entry(name, bytes);
    }

    private static byte[] zip(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Entry entry : entries) {
                out.putNextEntry(new ZipEntry(entry.name()));
                out.write(entry.bytes());
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] tarGz(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            for (Entry entry : entries) {
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.name());
                tarEntry.setSize(entry.bytes().length);
                tar.putArchiveEntry(tarEntry);
                tar.write(entry.bytes());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] encryptedZip(String password, String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ZipParameters parameters = new ZipParameters();
        parameters.setEncryptFiles(true);
        parameters.setEncryptionMethod(EncryptionMethod.ZIP_STANDARD);
        parameters.setFileNameInZip(name);
        try (net.lingala.zip4j.io.outputstream.ZipOutputStream out =
                     new net.lingala.zip4j.io.outputstream.ZipOutputStream(bytes, password.toCharArray())) {
            out.putNextEntry(parameters);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
