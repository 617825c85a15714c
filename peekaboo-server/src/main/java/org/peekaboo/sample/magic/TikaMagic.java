package org.peekaboo.sample.magic;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.xml.namespace.QName;
import org.apache.tika.detect.XmlRootExtractor;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * Tika's content type detection ({@code MimeTypes.detect} on a stream, without name or
 * declared type) computed from the first bytes of a file held in memory, with the same
 * answer for every input and a small fraction of the cost.
 *
 * <p>The rules are Tika's own, read from the database inside tika-core, so they change
 * with Tika. What is done differently is how they are tried: each test is compiled once,
 * never copies the content, never looks past its end, and is made at most once per file
 * even when many rules share it; and the rules are indexed by the first byte they accept,
 * so for any content most of them are never tried. What Tika does after the rules (the
 * XML root element, the HTML fallback for XML-looking text that is not XML, the text
 * check when nothing matched) is delegated to Tika's public classes.
 *
 * <p>Immutable and thread-safe: one instance serves all threads.
 */
public final class TikaMagic {
    /**
     * How many first bytes of a file decide its type: all that Tika reads. Its text check
     * counts control bytes in all of them, and its XML check parses all of them, so fewer
     * would change answers (a NUL byte at 60,000 makes a text file binary).
     */
    public static final int HEAD_LENGTH = 64 * 1024;

    private static final String XML = MediaType.APPLICATION_XML.toString();
    private static final String HTML = MediaType.TEXT_HTML.toString();
    private static final String TEXT = MediaType.TEXT_PLAIN.toString();
    private static final String CUSTOM_DATABASE_PROPERTY = "tika.custom-mimetypes";

    private final MagicRule[] rules;
    /** The rules' conditions and shortest matching lengths, unpacked for the hot loop. */
    private final MagicClause[] clauses;
    private final int[] minLengths;
    /** For each first byte, the rules (indices into {@link #rules}, in order) that accept it. */
    private final int[][] rulesByFirstByte;
    private final int[] htmlRules;
    /** Types declared by their XML root, in Tika's (ascending) order. */
    private final List<Map.Entry<String, List<RootXml>>> xmlRoots;
    private final int checkCount;
    private final Probe.OpeningIndex openings;
    private final int tikaHeadLength;

    private TikaMagic(TikaMagicReader database, int tikaHeadLength) {
        List<MagicRule> ordered = new ArrayList<>();
        for (MagicRule rule : database.rules()) {
            // Tika takes a match for "no match" when the rule's type is its own
            // application/octet-stream (it compares the detected type with that one), so
            // these rules never decide anything and need not be tried.
            if (!MediaType.OCTET_STREAM.toString().equals(rule.type())) {
                ordered.add(rule);
            }
        }
        ordered.sort(MagicRule.TIKA_ORDER);
        this.rules = ordered.toArray(MagicRule[]::new);
        this.clauses = Arrays.stream(rules).map(MagicRule::clause).toArray(MagicClause[]::new);
        this.minLengths = Arrays.stream(clauses).mapToInt(MagicClause::minLength).toArray();
        this.rulesByFirstByte = indexByFirstByte(rules);
        this.htmlRules = indicesOf(rules, HTML);
        List<Map.Entry<String, List<RootXml>>> roots = new ArrayList<>();
        database.rootXml().forEach((type, declared) -> roots.add(Map.entry(type.toString(), declared)));
        roots.sort(Map.Entry.comparingByKey());
        this.xmlRoots = List.copyOf(roots);
        List<PatternCheck> checks = database.checks();
        this.checkCount = checks.size();
        this.openings = new Probe.OpeningIndex(checks);
        this.tikaHeadLength = tikaHeadLength;
    }

    /**
     * The rules of the database Tika's {@code MimeTypes.getDefaultMimeTypes()} reads: the
     * one inside tika-core, then any {@code custom-mimetypes.xml} on the class path, then
     * the file named by the system property {@code tika.custom-mimetypes}.
     *
     * @throws IOException when a file cannot be read or holds something Tika would refuse
     */
    public static TikaMagic load() throws IOException {
        int tikaHeadLength = MimeTypes.getDefaultMimeTypes().getMinLength();
        if (tikaHeadLength > HEAD_LENGTH) {
            throw new IOException("Tika reads " + tikaHeadLength + " bytes to detect a type, more than "
                    + HEAD_LENGTH);
        }
        ClassLoader loader = MimeTypes.class.getClassLoader();
        List<URL> files = new ArrayList<>();
        URL core = loader.getResource(MimeTypes.class.getPackageName().replace('.', '/') + "/tika-mimetypes.xml");
        if (core == null) {
            throw new IOException("tika-mimetypes.xml is not on the class path");
        }
        files.add(core);
        files.addAll(Collections.list(loader.getResources("custom-mimetypes.xml")));
        String custom = System.getProperty(CUSTOM_DATABASE_PROPERTY);
        if (custom != null) {
            files.add(new File(custom).toURI().toURL());
        }
        TikaMagicReader reader = new TikaMagicReader();
        for (URL file : files) {
            reader.read(file);
        }
        return new TikaMagic(reader, tikaHeadLength);
    }

    /**
     * The type Tika detects for content beginning with {@code head}, named as Tika names it
     * (parameters included, e.g. {@code application/dita+xml; format=map}).
     *
     * @param head the content's first bytes: all of it, or at least its first
     *             {@link #HEAD_LENGTH}; the array is neither changed nor kept
     */
    public String detect(byte[] head) {
        byte[] data = head.length > tikaHeadLength ? Arrays.copyOf(head, tikaHeadLength) : head;
        if (data.length == 0) {
            return MediaType.OCTET_STREAM.toString();
        }
        Probe probe = new Probe(data, checkCount, openings);
        MagicRule matched = firstMatch(probe);
        if (matched == null) {
            return textOrBinary(data);
        }
        String type = matched.type();
        if (XML.equals(type) || HTML.equals(type)) {
            return refineMarkup(type, data, probe);
        }
        return type;
    }

    /** How many rules the database has; for tests and reports. */
    int ruleCount() {
        return rules.length;
    }

    List<MagicRule> rules() {
        return List.of(rules);
    }

    private MagicRule firstMatch(Probe probe) {
        for (int index : rulesByFirstByte[probe.data[0] & 0xFF]) {
            if (probe.length >= minLengths[index] && clauses[index].matches(probe)) {
                return rules[index];
            }
        }
        return null;
    }

    /**
     * Tika looks at the root element of what its rules take for XML or HTML: a declared
     * root names a type; XML without a root element is HTML if an HTML rule matches too,
     * else plain text.
     */
    private String refineMarkup(String type, byte[] data, Probe probe) {
        QName root = new XmlRootExtractor().extractRootElement(data);
        if (root != null) {
            for (Map.Entry<String, List<RootXml>> declaring : xmlRoots) {
                for (RootXml declared : declaring.getValue()) {
                    if (declared.matches(root.getNamespaceURI(), root.getLocalPart())) {
                        return declaring.getKey();
                    }
                }
            }
            return type;
        }
        if (!XML.equals(type)) {
            return type;
        }
        for (int index : htmlRules) {
            if (probe.length >= minLengths[index] && clauses[index].matches(probe)) {
                return HTML;
            }
        }
        return TEXT;
    }

    private String textOrBinary(byte[] data) {
        return TextCheck.looksLikeText(data, data.length) ? TEXT : MediaType.OCTET_STREAM.toString();
    }

    private static int[][] indexByFirstByte(MagicRule[] rules) {
        ByteSet[] accepted = new ByteSet[rules.length];
        for (int i = 0; i < rules.length; i++) {
            accepted[i] = rules[i].clause().firstBytes();
        }
        int[][] index = new int[256][];
        for (int value = 0; value < 256; value++) {
            int[] candidates = new int[rules.length];
            int count = 0;
            for (int i = 0; i < rules.length; i++) {
                if (accepted[i] == null || accepted[i].contains(value)) {
                    candidates[count++] = i;
                }
            }
            index[value] = Arrays.copyOf(candidates, count);
        }
        return index;
    }

    private static int[] indicesOf(MagicRule[] rules, String type) {
        return IntStream.range(0, rules.length).filter(i -> rules[i].type().equals(type)).toArray();
    }
}
