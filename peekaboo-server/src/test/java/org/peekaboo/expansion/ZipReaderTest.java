package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipReaderTest {
    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void membersKeepTheirPathsAndDirectoriesAreNoMembers() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("docs/", "");
        entries.put("docs/a.docm", "macro");
        entries.put("docs/sub/b.txt", "text");
        entries.put("readme.txt", "hello");

        Expansion expansion = fixtures.read(ArchiveFixtures.zip(entries), ContainerFormat.ZIP, "invoice.zip");

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("docs/a.docm", "macro"),
                Map.entry("docs/sub/b.txt", "text"), Map.entry("readme.txt", "hello"));
        assertThat(expansion.members()).allSatisfy(member -> {
            assertThat(member.typeDeclared()).isNull();
            assertThat(member.contentDisposition()).isNull();
        });
        assertThat(expansion.words()).isEmpty();
        expansion.closeMembers();
    }

    @Test
    void aZipInAZipIsAMemberWhoseContentIsAZip() throws IOException {
        byte[] inner = ArchiveFixtures.zip(Map.of("evil.exe", "MZ"));
        byte[] outer = ArchiveFixtures.zipOfBytes(Map.of("inner.zip", inner));

        Expansion expansion = fixtures.read(outer, ContainerFormat.ZIP, "outer.zip");

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.path()).isEqualTo("inner.zip");
            assertThat(ArchiveFixtures.bytes(member)).isEqualTo(inner);
        });
        // The engine, not the reader, goes one level deeper.
        Expansion nested = fixtures.read(ArchiveFixtures.bytes(expansion.members().getFirst()), ContainerFormat.ZIP,
                "inner.zip");
        assertThat(ArchiveFixtures.texts(nested)).containsExactly(Map.entry("evil.exe", "MZ"));
        expansion.closeMembers();
        nested.closeMembers();
    }

    @Test
    void aTruncatedZipGivesTheMembersBeforeTheCutAndSaysSo() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("first.txt", "one");
        entries.put("second.txt", "two");
        entries.put("third.txt", ArchiveFixtures.text(50_000, 'x') + "end");
        byte[] whole = ArchiveFixtures.zip(entries);
        byte[] cut = Arrays.copyOf(whole, whole.length - 200);

        Expansion expansion = fixtures.read(cut, ContainerFormat.ZIP, "cut.zip");

        assertThat(ArchiveFixtures.texts(expansion)).containsKeys("first.txt", "second.txt");
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("no readable central directory");
        });
        expansion.closeMembers();
    }

    @Test
    void aZipCutInTheMiddleOfAMemberSaysItIsTruncated() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("first.txt", "one");
        entries.put("big.bin", randomText(100_000));
        byte[] whole = ArchiveFixtures.zip(entries);
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);

        Expansion expansion = fixtures.read(cut, ContainerFormat.ZIP, "cut.zip");

        assertThat(ArchiveFixtures.texts(expansion)).containsOnlyKeys("first.txt");
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("corrupt or truncated after 1 members");
        });
        expansion.closeMembers();
    }

    @Test
    void garbageDeclaredAZipIsUnreadable() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);

        Expansion expansion = fixtures.read(garbage, ContainerFormat.ZIP, "garbage.zip");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE));
    }

    @Test
    void aCorruptMemberIsReportedAndTheOthersAreRead() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("bad.txt", randomText(20_000));
        entries.put("good.txt", "fine");
        byte[] zip = ArchiveFixtures.zip(entries);
        // Scribble over the middle of the first entry's deflated data; the directory stays intact.
        for (int i = 200; i < 2000; i++) {
            zip[i] = (byte) 0xff;
        }

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "corrupt.zip");

        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("good.txt", "fine"));
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("\"bad.txt\"");
        });
        expansion.closeMembers();
    }

    @Test
    void aCorruptMemberOfAZipWithoutDirectoryIsNotTakenForGood() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("bad.txt", randomText(20_000));
        entries.put("good.txt", "fine");
        // Written to a seekable channel, the local headers carry the CRC (no data descriptors).
        SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(channel)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        byte[] zip = Arrays.copyOf(channel.array(), (int) channel.size());
        for (int i = 200; i < 2000; i++) {
            zip[i] = (byte) 0xff;
        }
        byte[] withoutDirectory = Arrays.copyOf(zip, zip.length - 60);

        Expansion expansion = fixtures.read(withoutDirectory, ContainerFormat.ZIP, "corrupt.zip");

        assertThat(ArchiveFixtures.texts(expansion)).doesNotContainKey("bad.txt");
        assertThat(expansion.findings()).last().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("no readable central directory");
        });
        expansion.closeMembers();
    }

    @Test
    void namesWithoutTheUtf8FlagAreUtf8WhenValidElseCp437() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setEncoding("IBM437");
            zip.setUseLanguageEncodingFlag(false);
            zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
            zip.putArchiveEntry(new ZipArchiveEntry("Rechnung-März.txt"));
            zip.write("a".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
            zip.setEncoding("UTF-8");
            zip.putArchiveEntry(new ZipArchiveEntry("Übersicht.txt"));
            zip.write("b".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }

        Expansion expansion = fixtures.read(bytes.toByteArray(), ContainerFormat.ZIP, "names.zip");

        assertThat(ArchiveFixtures.texts(expansion)).containsOnlyKeys("Rechnung-März.txt", "Übersicht.txt");
        expansion.closeMembers();
    }

    @Test
    void noFileIsLeftInTheSpoolOnceMembersAreClosed() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("large.bin", randomText(3 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
        entries.put("small.txt", "x".getBytes(StandardCharsets.UTF_8));

        Expansion expansion = fixtures.read(ArchiveFixtures.zipOfBytes(entries), ContainerFormat.ZIP, "a.zip");

        assertThat(expansion.members()).hasSize(2);
        assertThat(fixtures.spooledFiles()).isNotEmpty();
        expansion.closeMembers();
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    static String randomText(int length) {
        Random random = new Random(length);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
