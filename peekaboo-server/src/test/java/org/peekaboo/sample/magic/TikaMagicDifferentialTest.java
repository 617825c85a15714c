package org.peekaboo.sample.magic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.tika.Tika;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * TikaMagic against Tika itself, the oracle: every input must get exactly the type
 * {@code Tika.detect} gives it, which is what today's rulesets' type lists are written
 * against. The inputs are the repository's own files and content generated from Tika's
 * rules (each rule's patterns placed where it looks for them, on several backgrounds,
 * whole and cut off), plus hand-made content for the regular-expression rules, markup,
 * text encodings and binary data. {@code -Dpeekaboo.typeDiffDirs=/usr/share:…} also
 * compares every file below the named directories.
 */
class TikaMagicDifferentialTest {
    private static final Tika TIKA = new Tika();
    private static final byte[] TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static TikaMagic magic;

    @BeforeAll
    static void load() throws IOException {
        magic = TikaMagic.load();
    }

    @Test
    void everyFileOfTheRepository() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root.getParent() != null && !Files.isDirectory(root.resolve("peekaboo-server"))) {
            root = root.getParent();
        }
        Comparison comparison = new Comparison();
        compareFilesBelow(root, comparison);

        comparison.report("repository files");
        assertThat(comparison.compared).isGreaterThan(100);
        assertThat(comparison.mismatches).isEmpty();
    }

    @Test
    @EnabledIfSystemProperty(named = "peekaboo.typeDiffDirs", matches = ".+")
    void everyFileBelowTheNamedDirectories() throws IOException {
        Comparison comparison = new Comparison();
        for (String directory : System.getProperty("peekaboo.typeDiffDirs").split(":")) {
            compareFilesBelow(Path.of(directory), comparison);
        }

        comparison.report("files below " + System.getProperty("peekaboo.typeDiffDirs"));
        assertThat(comparison.mismatches).isEmpty();
    }

    @Test
    void everyRuleOnContentBuiltToMatchIt() {
        Comparison comparison = new Comparison();
        List<MagicRule> rules = magic.rules();
        for (int index = 0; index < rules.size(); index++) {
            MagicRule rule = rules.get(index);
            Random random = new Random(index);
            for (int choice = 0; choice < 3; choice++) {
                List<Placement> atStart = satisfy(rule.clause(), false, false, choice);
                if (choice > 0 && atStart.equals(satisfy(rule.clause(), false, false, 0))) {
                    break;
                }
                String label = rule.tikaText() + " #" + choice;
                byte[] zeros = canvas(atStart, Background.ZEROS, 0, random);
                comparison.compare(label + " on zeros", zeros);
                if (choice > 0) {
                    continue;
                }
                comparison.compare(label + " cut short", Arrays.copyOf(zeros, zeros.length - 1));
                comparison.compare(label + " in text", canvas(atStart, Background.TEXT, 100, random));
                comparison.compare(label + " in random bytes", canvas(atStart, Background.RANDOM, 0, random));
                List<Placement> upperCase = satisfy(rule.clause(), false, true, 0);
                if (!upperCase.equals(atStart)) {
                    comparison.compare(label + " upper case", canvas(upperCase, Background.TEXT, 0, random));
                }
                List<Placement> atEnd = satisfy(rule.clause(), true, false, 0);
                if (!atEnd.equals(atStart)) {
                    comparison.compare(label + " at range end", canvas(atEnd, Background.ZEROS, 0, random));
                    comparison.compare(label + " at range end in text", canvas(atEnd, Background.TEXT, 7, random));
                }
            }
        }

        comparison.report("content built from " + rules.size() + " rules");
        assertThat(comparison.mismatches).isEmpty();
        // Nearly every rule's type must come up, or the generator tests little.
        Set<String> ruleTypes = new java.util.HashSet<>(rules.stream().map(MagicRule::type).toList());
        Set<String> missed = new java.util.TreeSet<>(ruleTypes);
        missed.removeAll(comparison.types());
        System.out.printf("  %d of %d rule types came up; not: %s%n", ruleTypes.size() - missed.size(),
                ruleTypes.size(), missed);
        assertThat(missed.size()).isLessThan(ruleTypes.size() / 10);
    }

    @Test
    void patternsCutOffAtEveryLength() {
        Comparison comparison = new Comparison();
        for (MagicRule rule : magic.rules()) {
            List<Placement> placements = satisfy(rule.clause(), false, false, 0);
            if (placements.isEmpty()) {
                continue;
            }
            byte[] whole = canvas(placements, Background.ZEROS, 0, null);
            Placement first = placements.get(0);
            int end = first.offset() + first.bytes().length;
            for (int length : new java.util.TreeSet<>(List.of(first.offset() + 1, (first.offset() + end) / 2, end - 1))) {
                if (length > 0 && length < whole.length) {
                    comparison.compare(rule.tikaText() + " cut at " + length, Arrays.copyOf(whole, length));
                }
            }
        }

        comparison.report("rule patterns cut off");
        assertThat(comparison.mismatches).isEmpty();
    }

    @Test
    void regularExpressionRules() {
        Comparison comparison = new Comparison();
        for (byte[] sample : regexSamples()) {
            String label = new String(sample, StandardCharsets.ISO_8859_1);
            comparison.compare(label, sample);
            for (int length = 1; length < sample.length; length++) {
                if (length <= 6 || length >= sample.length - 3 || length % 7 == 0) {
                    comparison.compare(label + " cut at " + length, Arrays.copyOf(sample, length));
                }
            }
            comparison.compare(label + " after text", concat(TEXT, sample));
            comparison.compare(label + " after a line", concat("x\n".getBytes(StandardCharsets.US_ASCII), sample));
            comparison.compare(label + " then zeros", concat(sample, new byte[9000]));
            comparison.compare(label + " then text", concat(sample, repeat(TEXT, 200)));
            comparison.compare(label + " at 600", concat(new byte[600], sample));
            comparison.compare(label + " at 3000 in text", concat(Arrays.copyOf(repeat(TEXT, 60), 3000), sample));
        }

        comparison.report("regular expression samples");
        System.out.println("  types: " + comparison.types());
        assertThat(comparison.mismatches).isEmpty();
    }

    @Test
    void markupWithAndWithoutKnownRoots() {
        Comparison comparison = new Comparison();
        for (String document : List.of(
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\"/>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><unknown-root/>",
                "<?xml version=\"1.0\"?>",
                "<?xml version=\"1.0\"?>\n<!-- <html> -->",
                "<?xml version=\"1.0\"?>\n<html><body>no end",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                "<?xml version=\"1.0\"?><html><head><title>t</title></head></html>",
                "<!DOCTYPE html>\n<html><head><title>t</title></head><body></body></html>",
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
                "<HTML><BODY>shouting</BODY></HTML>",
                "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"/>",
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>",
                "<?xml version=\"1.0\"?><!-- a comment first --><kml xmlns=\"http://www.opengis.net/kml/2.2\"/>",
                "<?xml version=\"1.0\"?><p:root xmlns:p=\"urn:x\">",
                "<?xml version=\"1.0\"?>\n<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"/>",
                "  \n<?xml version=\"1.0\"?><a/>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\u00e4\u00f6\u00fc</a>",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
                "<!-- comment --><html>")) {
            byte[] utf8 = document.getBytes(StandardCharsets.UTF_8);
            comparison.compare(document, utf8);
            comparison.compare(document + " with BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8));
            comparison.compare(document + " UTF-16LE", concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                    document.getBytes(StandardCharsets.UTF_16LE)));
            comparison.compare(document + " UTF-16BE", document.getBytes(StandardCharsets.UTF_16));
            comparison.compare(document + " malformed UTF-8", concat(utf8, new byte[] {(byte) 0xC3, 0x28, '<', 'x'}));
            comparison.compare(document + " after 70,000 spaces", concat(repeat(new byte[] {' '}, 70_000), utf8));
        }
        TikaMagicReader database = new TikaMagicReader();
        try {
            database.read(org.apache.tika.mime.MimeTypes.class.getResource("tika-mimetypes.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database.rootXml().forEach((type, roots) -> roots.forEach(root -> {
            String name = root.localName() == null || root.localName().isEmpty() ? "anything" : root.localName();
            String namespace = root.namespaceUri() == null || root.namespaceUri().isEmpty() ? ""
                    : " xmlns=\"" + root.namespaceUri() + "\"";
            comparison.compare("root of " + type, ("<?xml version=\"1.0\"?>\n<" + name + namespace + "/>")
                    .getBytes(StandardCharsets.UTF_8));
            comparison.compare("prefixed root of " + type, ("<?xml version=\"1.0\"?>\n<p:" + name
                    + namespace.replace("xmlns", "xmlns:p") + "/>").getBytes(StandardCharsets.UTF_8));
        }));

        comparison.report("markup");
        assertThat(comparison.mismatches).isEmpty();
    }

    @Test
    void textEncodingsAndBinaryData() throws IOException {
        Comparison comparison = new Comparison();
        String text = "Grüße aus Köln, naïve café — \u20ac 5. ";
        for (var encoding : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16LE,
                StandardCharsets.UTF_16BE, StandardCharsets.UTF_16, StandardCharsets.US_ASCII)) {
            byte[] encoded = text.repeat(40).getBytes(encoding);
            comparison.compare("text in " + encoding, encoded);
            comparison.compare("short text in " + encoding, Arrays.copyOf(encoded, 9));
        }
        comparison.compare("UTF-8 text with BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                text.getBytes(StandardCharsets.UTF_8)));
        for (int at : new int[] {0, 1, 1000, 4095, 4096, 60_000, 65_535, 65_536, 70_000}) {
            byte[] long_ = repeat(TEXT, 1300);
            long_[at] = 0;
            comparison.compare("text with NUL at " + at, long_);
        }
        for (int permille : new int[] {15, 19, 20, 21, 25, 99, 100, 101, 120}) {
            byte[] mixed = repeat(TEXT, 100);
            for (int i = 0; i < mixed.length * permille / 1000; i++) {
                mixed[i * 1000 / permille] = (byte) (i % 3 == 0 ? 1 : i % 3 == 1 ? 0xE9 : 0x85);
            }
            comparison.compare("text with " + permille + " per mille odd bytes", mixed);
        }
        for (int continuation = -5; continuation <= 5; continuation++) {
            byte[] utf8 = concat(repeat("ab\u00e4".getBytes(StandardCharsets.UTF_8), 50),
                    repeat(new byte[] {(byte) 0x80}, Math.max(0, continuation)));
            comparison.compare("UTF-8 with " + continuation + " spare continuations",
                    continuation < 0 ? Arrays.copyOf(utf8, utf8.length + continuation) : utf8);
        }
        Random random = new Random(42);
        for (int size : new int[] {1, 2, 3, 7, 8, 9, 100, 511, 512, 513, 4095, 4096, 4097, 8192, 8300, 65_535,
                65_536, 65_537, 100_000}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            comparison.compare("random " + size, bytes);
            comparison.compare("zeros " + size, new byte[size]);
            comparison.compare("text " + size, Arrays.copyOf(repeat(TEXT, size / TEXT.length + 1), size));
        }
        for (int value = 0; value < 256; value++) {
            comparison.compare("byte " + value, new byte[] {(byte) value});
            comparison.compare("byte " + value + " and zeros", Arrays.copyOf(new byte[] {(byte) value}, 16));
            comparison.compare("byte " + value + " and text", concat(new byte[] {(byte) value}, TEXT));
        }
        for (int[] signature : new int[][] {{0xFF, 0x1F}, {0x1F, 0x1E}, {0x1F, 0xFF}}) {
            // Tika's own rules for application/octet-stream, which never match
            byte[] start = {(byte) signature[0], (byte) signature[1]};
            comparison.compare("octet-stream signature " + Arrays.toString(signature), concat(start, TEXT));
            comparison.compare("octet-stream signature alone " + Arrays.toString(signature), start);
        }
        comparison.compare("zip", zip("inner.txt"));
        comparison.compare("OOXML", zip("[Content_Types].xml"));
        comparison.compare("OOXML with rels first", zip("_rels/.rels"));
        comparison.compare("mail", ("Return-Path: <a@b>\nReceived: from x\nDate: Mon\nFrom: a@b\n"
                + "Subject: hi\nContent-Type: text/plain\n\nbody\n").getBytes(StandardCharsets.US_ASCII));
        comparison.compare("mail after a BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "Subject: x\nFrom: y\n".getBytes(StandardCharsets.US_ASCII)));
        comparison.compare("mbox", ("From someone@example.org Mon Jan  1 00:00:00 2024\nFrom: a\nSubject: b\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        comparison.compare("script", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.US_ASCII));
        comparison.compare("robots", "User-agent: *\nDisallow: /\n".getBytes(StandardCharsets.US_ASCII));

        comparison.report("encodings and binary data");
        assertThat(comparison.mismatches).isEmpty();
    }

    /** Places every test of the clause on the way to a match; expressions are left to other inputs. */
    private static List<Placement> satisfy(MagicClause clause, boolean atEnd, boolean upperCase, int choice) {
        List<Placement> placements = new ArrayList<>();
        switch (clause) {
            case MagicTest test -> {
                PatternCheck check = test.check();
                if (!check.isRegex()) {
                    byte[] pattern = check.maskedPattern();
                    if (upperCase && check.ignoresCase()) {
                        pattern = new String(pattern, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT)
                                .getBytes(StandardCharsets.ISO_8859_1);
                    }
                    placements.add(new Placement(atEnd ? check.end() : check.begin(), pattern));
                }
            }
            case MagicClause.AllOf all -> {
                placements.addAll(satisfy(all.first(), atEnd, upperCase, 0));
                placements.addAll(satisfy(all.then(), atEnd, upperCase, choice));
            }
            case MagicClause.AnyOf any -> placements.addAll(
                    satisfy(any.clauses().get(Math.min(choice, any.clauses().size() - 1)), atEnd, upperCase, 0));
            case MagicClause.AtLeast atLeast -> {
                int first = Math.min(choice, atLeast.clauses().size() - atLeast.min());
                for (int i = first; i < first + atLeast.min(); i++) {
                    placements.addAll(satisfy(atLeast.clauses().get(i), atEnd, upperCase, 0));
                }
            }
        }
        return placements;
    }

    private enum Background { ZEROS, TEXT, RANDOM }

    private static byte[] canvas(List<Placement> placements, Background background, int extra, Random random) {
        int size = 1;
        for (Placement placement : placements) {
            size = Math.max(size, placement.offset() + placement.bytes().length);
        }
        byte[] canvas = new byte[size + extra];
        switch (background) {
            case ZEROS -> {
            }
            case TEXT -> {
                for (int i = 0; i < canvas.length; i++) {
                    canvas[i] = TEXT[i % TEXT.length];
                }
            }
            case RANDOM -> random.nextBytes(canvas);
        }
        for (Placement placement : placements) {
            System.arraycopy(placement.bytes(), 0, canvas, placement.offset(), placement.bytes().length);
        }
        return canvas;
    }

    private record Placement(int offset, byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Placement that && offset == that.offset && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * offset + Arrays.hashCode(bytes);
        }
    }

    /** Content for the rules whose tests are regular expressions. */
    private static List<byte[]> regexSamples() {
        List<byte[]> samples = new ArrayList<>();
        for (String text : List.of("BZh91AY&SY", "BZh0", "P4\n# c\n1 1\n", "P5 1 1 255\n", "P6\r3 3\n",
                "X-Mailer: x\nDate: Mon\n", "DKIM-Signature: v=1\nFrom: a\n", "ARC-Seal: i=1\n\nReturn-Path: <a>\n",
                "X-Foo: bar\nDelivered-To: x\n", "<html><body>hi</body></html>", "<HEAD>x", "<title>t</title>",
                "<div class=x>", "<h1>T</h1>", "<h4>T</h4>", "digraph G { a -> b }", "strict digraph{}",
                "  graph x {}", "// one\n// two\ndigraph {}", "/* c */ graph x {}", "/* unterminated graph",
                "function foo = 1", "function bar\n", "function 1bad =", "JAVA PROFILE 1.0.2\u0000x",
                "JAVA PROFILE 1.0.1,", "FCS3.0    ", "FCS4.0    ", "00000nam  2200000   4500", "12345cz",
                "12345dwx", "12345nq", "1234nam", "%!PS-Adobe-3.0\n%AI5_FileFormat 3\n",
                "%!PS\r%AI5_FileFormat 5\r", "  0\nSECTION\n  2\nHEADER\n", "999\nmade by x\n0\r\nSECTION\r\n2\r\nENTITIES\r\n",
                "0\nSECTION\n2\nBLOCKS\n", "DC\u0000\u0001", "DCx\u0001rest", "Rar!\u001a\u0007\u0000")) {
            samples.add(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] dbase = new byte[64];
        dbase[0] = 0x07;
        Arrays.fill(dbase, 1, 11, (byte) ' ');
        dbase[54] = 0x07;
        samples.add(dbase);
        byte[] other = new byte[64];
        other[0] = 0x0D;
        System.arraycopy(new byte[] {0x0C, 0, 0x0D, 0, 0x0E}, 0, other, 52, 5);
        samples.add(other);
        byte[] dbf = new byte[80];
        dbf[0] = 0x03;
        dbf[2] = 0x05;
        dbf[3] = 0x11;
        dbf[8] = 0x41;
        dbf[10] = 0x02;
        dbf[44] = 0;
        dbf[45] = 'N';
        dbf[46] = 'A';
        dbf[47] = 'M';
        dbf[48] = 'E';
        samples.add(dbf);
        byte[] mp3 = new byte[2000];
        mp3[700] = (byte) 0xFF;
        mp3[701] = (byte) 0xFB;
        samples.add(mp3);
        byte[] aac = new byte[3000];
        aac[600] = (byte) 0xFF;
        aac[601] = (byte) 0xF1;
        aac[900] = (byte) 0xFF;
        aac[901] = (byte) 0xF1;
        samples.add(aac);
        return samples;
    }

    private static void compareFilesBelow(Path root, Comparison comparison) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(path -> !excluded(root, path)).filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes(TikaMagic.HEAD_LENGTH + 1);
            } catch (IOException unreadable) {
                continue;
            }
            comparison.compare(file.toString(), content);
        }
    }

    private static boolean excluded(Path root, Path path) {
        for (Path part : root.relativize(path)) {
            String name = part.toString();
            if (name.equals(".git") || name.equals("target") || name.equals("node_modules")) {
                return true;
            }
        }
        return Files.isSymbolicLink(path);
    }

    private static byte[] zip(String firstEntry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(firstEntry));
            zip.write("<?xml version=\"1.0\"?><Types/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(new byte[300]);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] repeat(byte[] unit, int times) {
        byte[] repeated = new byte[unit.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(unit, 0, repeated, i * unit.length, unit.length);
        }
        return repeated;
    }

    /** Compares inputs and keeps the differences and which types came up how often. */
    private static final class Comparison {
        final List<String> mismatches = new ArrayList<>();
        final Map<String, Integer> typeCounts = new TreeMap<>();
        int compared;

        void compare(String label, byte[] content) {
            String expected;
            try {
                expected = TIKA.detect(new ByteArrayInputStream(content));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] head = Arrays.copyOf(content, Math.min(content.length, TikaMagic.HEAD_LENGTH));
            String actual = magic.detect(head);
            compared++;
            typeCounts.merge(expected, 1, Integer::sum);
            if (!expected.equals(actual)) {
                mismatches.add(label + ": Tika " + expected + ", TikaMagic " + actual);
            }
        }

        Set<String> types() {
            return typeCounts.keySet();
        }

        void report(String what) {
            System.out.printf("Compared %d inputs (%s) with Tika: %d distinct types, %d mismatches%n", compared, what,
                    typeCounts.size(), mismatches.size());
            mismatches.stream().limit(20).forEach(mismatch -> System.out.println("  " + mismatch));
        }
    }
}
