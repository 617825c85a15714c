package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveLimitsTest {
    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void aZipBombReachesTheRatioLimitLongBeforeItsSize() throws IOException {
        long unpackedSize = 64L * 1024 * 1024;
        byte[] bomb = zipOfZeros("bomb.bin", unpackedSize);
        assertThat(bomb.length).isLessThan(1024 * 1024);
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.defaults());

        Expansion expansion = fixtures.read(bomb, ContainerFormat.ZIP, "bomb.zip", Passwords.none(), budget);

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.RATIO);
            assertThat(finding.detail()).contains("\"bomb.bin\"").contains("max_ratio");
        });
        // Stopped at a hundred times the packed size, a fraction of the 64 MB, and nothing of it kept.
        assertThat(budget.unpacked()).isLessThan(unpackedSize / 4);
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    @Test
    void tooManyMembersStopAtTheLimit() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            entries.put("file" + i + ".txt", "content " + i);
        }
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.settings(5, 1024 * 1024, List.of()));

        Expansion expansion = fixtures.read(ArchiveFixtures.zip(entries), ContainerFormat.ZIP, "many.zip",
                Passwords.none(), budget);

        assertThat(expansion.members()).hasSize(5);
        assertThat(expansion.findings()).containsExactly(new Finding(Finding.Kind.MEMBERS,
                "more than 5 members (max_members); stopped before \"file5.txt\""));
        expansion.closeMembers();
    }

    @Test
    void theTotalSizeLimitStopsTheReading() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("a.txt", ArchiveFixtures.text(4000, 'a'));
        entries.put("b.txt", ArchiveFixtures.text(4000, 'b'));
        entries.put("c.txt", ArchiveFixtures.text(4000, 'c'));
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.settings(100, 10_000, List.of()));

        Expansion expansion = fixtures.read(ArchiveFixtures.zip(entries), ContainerFormat.ZIP, "big.zip",
                Passwords.none(), budget);

        assertThat(ArchiveFixtures.texts(expansion)).containsOnlyKeys("a.txt", "b.txt");
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.SIZE);
            assertThat(finding.detail()).contains("\"c.txt\"");
        });
        expansion.closeMembers();
    }

    @Test
    void theTimeLimitStopsTheReading() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            entries.put("file" + i + ".txt", "content " + i);
        }
        // Every look at the clock finds ten more seconds gone: the 30 s are up at the fourth.
        AtomicLong clock = new AtomicLong();
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.defaults(), () -> clock.getAndAdd(10_000_000_000L));

        Expansion expansion = fixtures.read(ArchiveFixtures.zip(entries), ContainerFormat.ZIP, "slow.zip",
                Passwords.none(), budget);

        assertThat(expansion.members()).hasSizeLessThan(10);
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.TIME));
        expansion.closeMembers();
    }

    @Test
    void anInterruptionStopsTheReading() throws IOException {
        byte[] zip = ArchiveFixtures.zip(Map.of("a.txt", "a"));
        Thread.currentThread().interrupt();
        Expansion expansion;
        try {
            expansion = fixtures.read(zip, ContainerFormat.ZIP, "a.zip");
        } finally {
            Thread.interrupted();
        }

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).containsExactly(Finding.interrupted());
    }

    @Test
    void aCompressedStreamBombReachesTheRatioLimit() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var gzip = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes)) {
            byte[] zeros = new byte[64 * 1024];
            for (int i = 0; i < 512; i++) {
                gzip.write(zeros);
            }
        }

        Expansion expansion = fixtures.read(bytes.toByteArray(), ContainerFormat.GZIP, "bomb.gz");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.RATIO));
    }

    @Test
    void anLzmaStreamAskingForAHugeDictionaryIsRefusedBeforeItIsAllocated() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var lzma = new org.apache.commons.compress.compressors.lzma.LZMACompressorOutputStream(bytes)) {
            lzma.write(new byte[1000]);
        }
        byte[] stream = bytes.toByteArray();
        // The .lzma header's dictionary size (bytes 1 to 4, little-endian) says 1.5 GiB; nothing checks it.
        java.nio.ByteBuffer.wrap(stream, 1, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x60000000);

        Expansion expansion = fixtures.read(stream, ContainerFormat.LZMA, "a.lzma");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).startsWith("LZMA stream needs more than 64 MiB of memory");
        });
    }

    @Test
    void anLzmaStreamAskingForSomewhatMoreThanTheLimitIsUnsupportedNotDamaged() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var lzma = new org.apache.commons.compress.compressors.lzma.LZMACompressorOutputStream(bytes)) {
            lzma.write(new byte[1000]);
        }
        byte[] stream = bytes.toByteArray();
        // 96 MiB, what the strongest settings of 7-Zip and xz come to: sound, but beyond Peekaboo's limit.
        java.nio.ByteBuffer.wrap(stream, 1, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(96 << 20);

        Expansion expansion = fixtures.read(stream, ContainerFormat.LZMA, "a.lzma");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNSUPPORTED);
            assertThat(finding.detail()).startsWith("LZMA stream needs more than 64 MiB of memory");
        });
    }

    /** A ZIP of one entry of {@code size} zero bytes, streamed: the test never holds them. */
    private static byte[] zipOfZeros(String name, long size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry(name));
            byte[] zeros = new byte[64 * 1024];
            for (long written = 0; written < size; written += zeros.length) {
                zip.write(zeros);
            }
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
