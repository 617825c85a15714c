package org.peekaboo.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * What in a PDF runs or drops something: {@code /Launch} actions, JavaScript that runs by
 * itself (when the document or a page opens, on document events, document-level scripts),
 * JavaScript anywhere that makes the calls of droppers and exploits (also in the scripts of an
 * XFA form, see {@link XfaScripts}), and attached files that are programs or scripts. Every object of the file is looked at rather than only what the
 * document structure reaches, because droppers hide actions where viewers still find them;
 * the number of objects, the nesting and the bytes of scripts ({@value #MAX_SCRIPT_BYTES}) and of
 * XFA forms ({@value #MAX_XFA_BYTES}) read are bounded.
 */
final class PdfScan {
    static final int MAX_OBJECTS = 100_000;
    static final int MAX_SCRIPT_BYTES = 1 << 20;
    static final int MAX_XFA_BYTES = 4 << 20;
    private static final int MAX_XFA_PACKETS = 512;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_FINDINGS = 5;
    private static final long MAX_MAIN_MEMORY = 8L << 20;
    private static final COSName LAUNCH = COSName.getPDFName("Launch");
    private static final COSName EMBEDDED_FILES = COSName.getPDFName("EmbeddedFiles");
    private static final COSName PREDICTOR = COSName.getPDFName("Predictor");
    // Opening a web page by itself is what launchURL does in Acrobat's JavaScript; forms do it on a click.
    private static final Pattern GOTO_URL = Pattern.compile("\\bgotoURL\\s*\\(");
    private static final Pattern DANGEROUS_NAME = Pattern.compile(
            "(?i).*\\.(?:exe|scr|com|pif|js|jse|vbs|vbe|wsf|hta|lnk|bat|cmd|ps1|iso|img|vhd|vhdx|msi|docm|xlsm|pptm|jar)"
                    + "[.\\s]*$");

    private final Set<String> findings = new LinkedHashSet<>();
    private final Map<COSBase, Boolean> seen = new IdentityHashMap<>();

    private PdfScan() {
    }

    /**
     * What in the PDF {@code file} runs or drops something; empty if nothing.
     *
     * @throws IOException when the file is no PDF PDFBox can read, or is encrypted with a user password
     */
    static List<String> scan(Path file) throws IOException {
        // Main memory is bounded; the rest of what PDFBox caches goes to a temporary file it deletes on close.
        try (PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(file), "", null, null,
                MemoryUsageSetting.setupMixed(MAX_MAIN_MEMORY).streamCache)) {
            PdfScan scan = new PdfScan();
            scan.catalog(document.getDocumentCatalog().getCOSObject());
            scan.objects(document.getDocument());
            return List.copyOf(scan.findings);
        }
    }

    private void catalog(COSDictionary catalog) throws IOException {
        autoRun(catalog.getDictionaryObject(COSName.OPEN_ACTION), "when the document opens");
        if (catalog.getDictionaryObject(COSName.AA) instanceof COSDictionary events) {
            for (COSName event : events.keySet()) {
                autoRun(events.getDictionaryObject(event), "on the document event /" + event.getName());
            }
        }
        if (catalog.getDictionaryObject(COSName.NAMES) instanceof COSDictionary names) {
            nameTree(names.getDictionaryObject(COSName.JAVA_SCRIPT), 0, "as a document-level script");
            nameTree(names.getDictionaryObject(EMBEDDED_FILES), 0, null);
        }
        if (catalog.getDictionaryObject(COSName.ACRO_FORM) instanceof COSDictionary form) {
            xfa(form.getDictionaryObject(COSName.XFA));
        }
    }

    /**
     * The scripts of an XFA form: a script that runs when the form opens and makes a suspicious
     * call, or opens a web page, counts like JavaScript that runs when the document opens; any other
     * with a suspicious call like JavaScript anywhere. Forms made with LiveCycle Designer run scripts
     * on {@code initialize} and {@code ready} to lay themselves out and fill in defaults, so a script
     * on open alone is no finding (unlike an {@code /OpenAction} script, which forms do not need).
     */
    private void xfa(COSBase xfa) throws IOException {
        StringBuilder xml = new StringBuilder();
        if (xfa instanceof COSStream stream) {
            xml.append(text(stream, MAX_XFA_BYTES));
        } else if (xfa instanceof COSArray packets) {
            // Name, stream, name, stream...: the packets are the pieces of one XML document.
            for (int i = 1; i < packets.size() && i < 2 * MAX_XFA_PACKETS && xml.length() < MAX_XFA_BYTES; i += 2) {
                if (packets.getObject(i) instanceof COSStream stream) {
                    xml.append(text(stream, MAX_XFA_BYTES - xml.length()));
                }
            }
        }
        for (XfaScripts.Script script : XfaScripts.of(xml.toString())) {
            List<String> calls = new ArrayList<>(PdfScripts.suspiciousCalls(script.text()));
            if (script.runsOnOpen() && GOTO_URL.matcher(script.text()).find()) {
                calls.add("gotoURL");
            }
            if (calls.isEmpty()) {
                continue;
            }
            add(script.runsOnOpen()
                    ? "runs XFA JavaScript when the form opens (event " + script.activity() + ": "
                            + String.join(", ", calls) + ")"
                    : "has XFA JavaScript that calls " + String.join(", ", calls));
        }
    }

    /** At most {@code max} bytes of a stream's decoded data as text: UTF-8 (XFA's), else Latin-1. */
    private static String text(COSStream stream, int max) throws IOException {
        byte[] bytes = decodedHead(stream, max);
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The first {@code max} decoded bytes of a stream. PDFBox decodes a whole stream before it hands
     * out the first byte, so a small Flate stream that inflates to gigabytes would fill its cache:
     * unfiltered and FlateDecode streams (nearly all scripts and forms) are inflated here as a stream,
     * and only as far as needed.
     */
    private static byte[] decodedHead(COSStream stream, int max) throws IOException {
        COSBase filters = stream.getFilters();
        if (filters == null) {
            try (InputStream raw = stream.createRawInputStream()) {
                return raw.readNBytes(max);
            }
        }
        boolean flate = COSName.FLATE_DECODE.equals(filters) || COSName.FLATE_DECODE_ABBREVIATION.equals(filters);
        boolean predicted = stream.getDictionaryObject(COSName.DECODE_PARMS, COSName.DP) instanceof COSDictionary p
                && p.getInt(PREDICTOR, 1) > 1;
        if (flate && !predicted) {
            try (InputStream in = new java.util.zip.InflaterInputStream(stream.createRawInputStream())) {
                return in.readNBytes(max);
            }
        }
        try (InputStream in = stream.createInputStream()) {
            return in.readNBytes(max);
        }
    }

    /** The scripts of a name tree run when the document opens; its files are checked as attachments. */
    private void nameTree(COSBase node, int depth, String scriptHow) throws IOException {
        if (depth > MAX_DEPTH || !(node instanceof COSDictionary tree)) {
            return;
        }
        if (tree.getDictionaryObject(COSName.NAMES) instanceof COSArray names) {
            for (int i = 1; i < names.size(); i += 2) {
                COSBase value = names.getObject(i);
                if (scriptHow != null) {
                    autoRun(value, scriptHow);
                } else if (value instanceof COSDictionary spec) {
                    String key = names.getObject(i - 1) instanceof COSString s ? s.getString() : null;
                    fileSpecification(spec, key);
                }
            }
        }
        if (tree.getDictionaryObject(COSName.KIDS) instanceof COSArray kids) {
            for (int i = 0; i < kids.size(); i++) {
                nameTree(kids.getObject(i), depth + 1, scriptHow);
            }
        }
    }

    /** An action run without the reader asking for it, with the actions it chains. */
    private void autoRun(COSBase action, String how) throws IOException {
        for (int i = 0; i < MAX_DEPTH && action instanceof COSDictionary dictionary; i++) {
            if (COSName.JAVA_SCRIPT.equals(dictionary.getCOSName(COSName.S))) {
                List<String> calls = PdfScripts.suspiciousCalls(script(dictionary));
                add("runs JavaScript " + how + (calls.isEmpty() ? "" : " (" + String.join(", ", calls) + ")"));
            }
            COSBase next = dictionary.getDictionaryObject(COSName.NEXT);
            action = next instanceof COSArray chain && chain.size() > 0 ? chain.getObject(0) : next;
        }
    }

    private void objects(COSDocument document) throws IOException {
        int count = 0;
        for (COSObjectKey key : List.copyOf(document.getXrefTable().keySet())) {
            if (++count > MAX_OBJECTS || findings.size() >= MAX_FINDINGS) {
                return;
            }
            COSObject object = document.getObjectFromPool(key);
            walk(object.getObject(), 0);
        }
    }

    /** Looks at a value and the values written inside it; referenced objects are looked at on their own. */
    private void walk(COSBase value, int depth) throws IOException {
        if (value == null || depth > MAX_DEPTH || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof COSDictionary dictionary) {
            dictionary(dictionary);
            for (Map.Entry<COSName, COSBase> entry : dictionary.entrySet()) {
                if (!(entry.getValue() instanceof COSObject)) {
                    walk(entry.getValue(), depth + 1);
                }
            }
        } else if (value instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof COSObject)) {
                    walk(array.get(i), depth + 1);
                }
            }
        }
    }

    private void dictionary(COSDictionary dictionary) throws IOException {
        COSName action = dictionary.getCOSName(COSName.S);
        if (LAUNCH.equals(action)) {
            add("has a /Launch action" + launchTarget(dictionary));
        } else if (COSName.JAVA_SCRIPT.equals(action)) {
            List<String> calls = PdfScripts.suspiciousCalls(script(dictionary));
            if (!calls.isEmpty()) {
                add("has JavaScript that calls " + String.join(", ", calls));
            }
        }
        if (COSName.PAGE.equals(dictionary.getCOSName(COSName.TYPE))
                && dictionary.getDictionaryObject(COSName.AA) instanceof COSDictionary events) {
            for (COSName event : events.keySet()) {
                autoRun(events.getDictionaryObject(event), "when a page "
                        + (COSName.O.equals(event) ? "opens" : COSName.C.equals(event) ? "closes" : "event /"
                        + event.getName() + " happens"));
            }
        }
        if (dictionary.getDictionaryObject(COSName.EF) instanceof COSDictionary) {
            fileSpecification(dictionary, null);
        }
    }

    private void fileSpecification(COSDictionary spec, String key) throws IOException {
        List<String> names = new ArrayList<>();
        for (COSName field : List.of(COSName.UF, COSName.F, COSName.DOS, COSName.UNIX, COSName.MAC)) {
            if (spec.getDictionaryObject(field) instanceof COSString name) {
                names.add(name.getString());
            }
        }
        if (key != null) {
            names.add(key);
        }
        String shown = names.isEmpty() ? "(no name)" : names.get(0);
        for (String name : names) {
            if (DANGEROUS_NAME.matcher(name.strip()).matches()) {
                add("carries the attached file " + quoted(name) + ", a program or script by its name");
                return;
            }
        }
        if (spec.getDictionaryObject(COSName.EF) instanceof COSDictionary files) {
            for (COSName field : files.keySet()) {
                if (files.getDictionaryObject(field) instanceof COSStream stream && isExecutable(stream)) {
                    add("carries the attached file " + quoted(shown) + ", a Windows program (MZ header)");
                    return;
                }
            }
        }
    }

    private static boolean isExecutable(COSStream stream) throws IOException {
        byte[] head = decodedHead(stream, 2);
        return head.length == 2 && head[0] == 'M' && head[1] == 'Z';
    }

    private static String launchTarget(COSDictionary launch) {
        COSBase target = launch.getDictionaryObject(COSName.F);
        if (launch.getDictionaryObject(COSName.getPDFName("Win")) instanceof COSDictionary windows) {
            target = windows.getDictionaryObject(COSName.F);
        }
        if (target instanceof COSDictionary spec) {
            target = spec.getDictionaryObject(COSName.F);
        }
        return target instanceof COSString name ? " (" + quoted(name.getString()) + ")" : "";
    }

    /** The text of an action's script, at most {@value #MAX_SCRIPT_BYTES} bytes of it. */
    private static String script(COSDictionary action) throws IOException {
        COSBase js = action.getDictionaryObject(COSName.JS);
        if (js instanceof COSString text) {
            return text.getString();
        }
        if (js instanceof COSStream stream) {
            byte[] bytes = decodedHead(stream, MAX_SCRIPT_BYTES);
            boolean utf16 = bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff;
            return new String(bytes, utf16 ? StandardCharsets.UTF_16 : StandardCharsets.ISO_8859_1);
        }
        return "";
    }

    private static String quoted(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "?");
        return "\"" + (clean.length() <= 80 ? clean : clean.substring(0, 80) + "…") + "\"";
    }

    private void add(String finding) {
        if (findings.size() < MAX_FINDINGS) {
            findings.add(finding);
        }
    }
}
