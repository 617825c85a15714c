package org.peekaboo.rtf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.ruleset.testing.RtfFiles;

class RtfScannerTest {
    private final RtfScanner scanner = new RtfScanner(RtfLimits.DEFAULT);

    @Test
    void wordOpensAnythingStartingWithTheFirstThreeLettersOfRtf() {
        assertThat(RtfScanner.isRtf(ascii("{\\rtf1\\ansi"))).isTrue();
        assertThat(RtfScanner.isRtf(ascii("{\\rtxyz"))).isTrue();
        assertThat(RtfScanner.isRtf(ascii("{\\rt"))).isTrue();
        assertThat(RtfScanner.isRtf(ascii("{\\r"))).isFalse();
        assertThat(RtfScanner.isRtf(ascii(" {\\rtf1"))).isFalse();
        assertThat(RtfScanner.isRtf(ascii("%PDF-1.7"))).isFalse();
    }

    @Test
    void readsAnEmbeddedObjectItsClassWordsAndOle1Header() throws IOException {
        byte[] bitmap = {'B', 'M', 1, 2, 3, 4, 5, 6};
        RtfScan scan = scan(RtfFiles.rtf(RtfFiles.embedded("PBrush", bitmap)));

        assertThat(scan.problems()).isEmpty();
        assertThat(scan.objects()).singleElement().satisfies(object -> {
            assertThat(object.rtfClass()).isEqualTo("PBrush");
            assertThat(object.controlWords()).containsExactly("objemb");
            assertThat(object.problem()).isEmpty();
            Ole1Object ole = object.ole1().orElseThrow();
            assertThat(ole.formatId()).isEqualTo(Ole1Object.EMBEDDED);
            assertThat(ole.className()).isEqualTo("PBrush");
            assertThat(ole.classNameLength()).isEqualTo(7);
            assertThat(ole.nativeData()).isEqualTo(bitmap);
            assertThat(ole.compound()).isEmpty();
        });
    }

    @Test
    void hexHiddenWithWhitespaceControlWordsGroupsAndAnOddDigitDecodesAsWordDecodesIt() throws IOException {
        byte[] data = RtfFiles.ole1Embedded("Equation.3", RtfFiles.equationOle2());
        byte[] rtf = ascii("{\\rt{\\object\\objemb{\\*\\objdata " + RtfFiles.obfuscated(RtfFiles.hex(data)) + "}}}");

        RtfObject object = scan(rtf).objects().get(0);

        assertThat(object.dataBytes()).isEqualTo(data.length);
        assertThat(object.ole1().orElseThrow().className()).isEqualTo("Equation.3");
        assertThat(object.ole1().orElseThrow().compound().orElseThrow().streams()).contains("Equation Native");
    }

    @Test
    void binTakesItsBytesAsTheyAre() throws IOException {
        byte[] data = RtfFiles.ole1Embedded("Package", RtfFiles.packagerData("a.exe", DropperPdfs.fakeProgram()));
        ByteArrayOutputStream rtf = new ByteArrayOutputStream();
        rtf.writeBytes(ascii("{\\rtf1{\\object\\objemb{\\*\\objdata " + RtfFiles.hex(Arrays.copyOf(data, 10))
                + "\\bin" + (data.length - 10) + " "));
        rtf.writeBytes(Arrays.copyOfRange(data, 10, data.length));
        rtf.writeBytes(ascii("}}}"));

        PackagedFile file = scan(rtf.toByteArray()).objects().get(0).ole1().orElseThrow().packaged().orElseThrow();

        assertThat(file.fileName()).isEqualTo("a.exe");
        assertThat(file.isProgram()).isTrue();
        assertThat(file.size()).isEqualTo(512);
    }

    @Test
    void readsThePackagedFileAndTheCompoundFileOfAnObject() throws IOException {
        RtfScan scan = scan(RtfFiles.rtf(
                RtfFiles.embedded("Package", RtfFiles.packagerData("Rechnung.js", ascii("WScript.Echo(1)"))),
                RtfFiles.embedded("Equation.3", RtfFiles.equationOle2())));

        assertThat(scan.objects()).hasSize(2);
        PackagedFile js = scan.objects().get(0).ole1().orElseThrow().packaged().orElseThrow();
        assertThat(js.label()).isEqualTo("Rechnung.js");
        assertThat(js.tempPath()).endsWith("\\Temp\\Rechnung.js");
        assertThat(js.isProgram()).isFalse();
        CompoundObject equation = scan.objects().get(1).ole1().orElseThrow().compound().orElseThrow();
        assertThat(equation.clsid()).isEqualTo("0002CE02-0000-0000-C000-000000000046");
        assertThat(equation.userType()).isEqualTo("Microsoft Equation 3.0");
        assertThat(equation.streams()).contains("Equation Native", "\u0001CompObj");
    }

    @Test
    void theRawBytesOfACompoundFileShowItsClsidAndStreamNames() {
        byte[] equation = RtfFiles.equationOle2();

        assertThat(RawCompound.holdsClsid(equation, "0002CE02-0000-0000-C000-000000000046")).isTrue();
        assertThat(RawCompound.holdsClsid(equation, "00000300-0000-0000-C000-000000000046")).isFalse();
        assertThat(RawCompound.holdsName(equation, "Equation Native")).isTrue();
        assertThat(RawCompound.holdsName(RtfFiles.ole2Link("http://example.invalid/"), "Equation Native")).isFalse();
        assertThat(RawCompound.holdsClsid(new byte[3], "0002CE02-0000-0000-C000-000000000046")).isFalse();
    }

    @Test
    void findsTheUrlOfAnOle2LinkAndTheLinkWords() throws IOException {
        RtfObject object = scan(RtfFiles.rtf(RtfFiles.object("\\objautlink\\objupdate", "Word.Document.8",
                RtfFiles.ole1Embedded("OLE2Link", RtfFiles.ole2Link("http://example.invalid/t.hta"))))).objects().get(0);

        assertThat(object.controlWords()).containsExactlyInAnyOrder("objautlink", "objupdate");
        CompoundObject link = object.ole1().orElseThrow().compound().orElseThrow();
        assertThat(link.clsid()).isEqualTo("00000300-0000-0000-C000-000000000046");
        assertThat(link.links()).contains("http://example.invalid/t.hta");
    }

    @Test
    void aLinkedOle1ObjectKeepsItsTopic() throws IOException {
        RtfObject object = scan(RtfFiles.rtf(RtfFiles.object("\\objlink", "Excel.Sheet.8",
                RtfFiles.ole1Linked("Excel.Sheet.8", "\\\\198.51.100.7\\share\\book.xls", "Sheet1")))).objects().get(0);

        assertThat(object.ole1().orElseThrow().formatId()).isEqualTo(Ole1Object.LINKED);
        assertThat(object.ole1().orElseThrow().topic()).isEqualTo("\\\\198.51.100.7\\share\\book.xls");
        assertThat(object.links()).containsExactly("\\\\198.51.100.7\\share\\book.xls");
    }

    @Test
    void anOverlongClassNameIsReportedWithTheLengthItClaims() throws IOException {
        RtfObject object = scan(RtfFiles.rtf(RtfFiles.object("\\objemb", "Equation",
                RtfFiles.ole1WithLongClassName(300)))).objects().get(0);

        assertThat(object.ole1().orElseThrow().classNameLength()).isEqualTo(300);
    }

    @Test
    void aClassNameLongerThanTheDataIsAProblemNotAnException() throws IOException {
        // Version 0x0501, format 2, a class name of 0x7FFFFFF0 bytes, of which 28 follow.
        byte[] header = new byte[40];
        System.arraycopy(new byte[] {1, 5, 0, 0, 2, 0, 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F}, 0, header, 0,
                12);
        Arrays.fill(header, 12, 40, (byte) 'A');
        RtfObject object = scan(ascii("{\\rtf1{\\object{\\*\\objdata " + RtfFiles.hex(header) + "}}}")).objects().get(0);

        assertThat(object.ole1().orElseThrow().classNameLength()).isEqualTo(0x7FFFFFF0L);
        assertThat(object.problem()).contains("class name is longer");
    }

    @Test
    void dataThatIsNoObjectOrACorruptCompoundFileIsAProblem() throws IOException {
        byte[] corrupt = Arrays.copyOf(RtfFiles.equationOle2(), 700);
        RtfScan scan = scan(RtfFiles.rtf(RtfFiles.object("\\objemb", "Word.Document.8", ascii("hello world, no OLE")),
                RtfFiles.embedded("Word.Document.8", corrupt),
                RtfFiles.object("\\objemb", "Package", RtfFiles.ole1Embedded("Package", new byte[] {9, 9}))));

        assertThat(scan.objects()).extracting(RtfObject::problem).containsExactly("its data is no OLE1 object",
                "its OLE2 compound file cannot be read (" + problemClass(scan.objects().get(1)) + ")",
                "its package data cannot be read");
    }

    @Test
    void unterminatedGroupsStillYieldTheirObjects() throws IOException {
        byte[] data = RtfFiles.ole1Embedded("Equation.3", RtfFiles.equationOle2());
        RtfScan scan = scan(ascii("{\\rtf1{\\object\\objemb{\\*\\objclass Equation.3}{\\*\\objdata "
                + RtfFiles.hex(data)));

        assertThat(scan.objects()).singleElement().satisfies(object -> {
            assertThat(object.rtfClass()).isEqualTo("Equation.3");
            assertThat(object.dataBytes()).isEqualTo(data.length);
        });
    }

    @Test
    void deepNestingIsFollowedToTheLimitAndSaidOnce() throws IOException {
        RtfScan scan = scan(ascii("{\\rtf1" + "{".repeat(200_000) + "text" + "}".repeat(200_000)
                + RtfFiles.embedded("PBrush", new byte[] {'B', 'M'}) + "}"));

        assertThat(scan.problems()).containsExactly("groups are nested deeper than 512");
        assertThat(scan.objects()).singleElement().extracting(RtfObject::rtfClass).isEqualTo("PBrush");
    }

    @Test
    void aHugeBinEndsWithTheFile() throws IOException {
        RtfScan scan = scan(ascii("{\\rtf1{\\object{\\*\\objdata 0105\\bin2147483647 abc}}}"));

        assertThat(scan.objects()).singleElement().satisfies(object -> assertThat(object.dataBytes()).isEqualTo(2 + 6));
    }

    @Test
    void limitsBoundWhatIsReadAndKept() throws IOException {
        RtfScanner small = new RtfScanner(new RtfLimits(4096, 2, 64, 8));
        String object = RtfFiles.embedded("PBrush", new byte[200]);

        RtfScan scan = small.scan(new ByteArrayInputStream(RtfFiles.rtf(object, object, object,
                "x".repeat(5000))));

        assertThat(scan.objects()).hasSize(2).allSatisfy(o -> {
            assertThat(o.dataBytes()).isGreaterThan(200);
            assertThat(o.problem()).contains("only 64 of its");
        });
        assertThat(scan.problems()).containsExactly("only the first 2 objects were read",
                "only the first 4096 bytes were read");
    }

    @Test
    void randomBytesAfterTheMagicNeverThrow() throws IOException {
        Random random = new Random(13);
        String alphabet = "{}\\*'0123456789abcdefobjdatclassbinupdate \r\n";
        for (int i = 0; i < 200; i++) {
            StringBuilder text = new StringBuilder("{\\rt");
            for (int j = random.nextInt(2000); j > 0; j--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(scan(ascii(text.toString()))).isNotNull();
        }
    }

    private static String problemClass(RtfObject object) {
        String problem = object.problem();
        return problem.substring(problem.indexOf('(') + 1, problem.length() - 1);
    }

    private RtfScan scan(byte[] rtf) throws IOException {
        return scanner.scan(new ByteArrayInputStream(rtf));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
