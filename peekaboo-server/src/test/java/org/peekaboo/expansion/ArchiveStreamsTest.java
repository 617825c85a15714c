package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorOutputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveStreamsTest {
    private static final byte[] TEXT = "some text to compress, some text to compress".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void aTarGivesItsRegularFilesOnly() throws IOException {
        byte[] tar = tar();

        Expansion expansion = fixtures.read(tar, ContainerFormat.TAR, "a.tar");

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("dir/a.txt", "alpha"),
                Map.entry("b.exe", "MZ"));
        expansion.closeMembers();
    }

    @Test
    void aTarGzIsOneMemberWhoseContentIsTheTar() throws IOException {
        byte[] tar = tar();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes)) {
            gzip.write(tar);
        }

        Expansion expansion = fixtures.read(bytes.toByteArray(), ContainerFormat.GZIP, "x.tar.gz");

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.path()).isEqualTo("x.tar");
            assertThat(ArchiveFixtures.bytes(member)).isEqualTo(tar);
        });
        expansion.closeMembers();
    }

    @Test
    void aGzipIsNamedByItsOwnHeaderAndConcatenatedMembersAreRead() throws IOException {
        GzipParameters parameters = new GzipParameters();
        parameters.setFileName("Rechnung.js");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes, parameters)) {
            gzip.write("first ".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes)) {
            gzip.write("second".getBytes(StandardCharsets.UTF_8));
        }

        Expansion expansion = fixtures.read(bytes.toByteArray(), ContainerFormat.GZIP, "invoice.gz");

        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("Rechnung.js", "first second"));
        expansion.closeMembers();
    }

    @Test
    void theOtherCompressedStreamsGiveOneMemberNamedAfterThem() throws IOException {
        assertSingle(ContainerFormat.BZIP2, "a.txt.bz2", "a.txt", BZip2CompressorOutputStream::new);
        assertSingle(ContainerFormat.XZ, "backup.txz", "backup.tar", XZCompressorOutputStream::new);
        assertSingle(ContainerFormat.LZMA, "a.doc.lzma", "a.doc", LZMACompressorOutputStream::new);
        assertSingle(ContainerFormat.LZ4, "a.bin.lz4", "a.bin", FramedLZ4CompressorOutputStream::new);
        assertSingle(ContainerFormat.SNAPPY, "a.sz", "a", FramedSnappyCompressorOutputStream::new);
        assertSingle(ContainerFormat.XZ, null, null, XZCompressorOutputStream::new);
    }

    @Test
    void aTruncatedCompressedStreamIsUnreadable() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream xz = new XZCompressorOutputStream(bytes)) {
            xz.write(ZipReaderTest.randomText(100_000).getBytes(StandardCharsets.UTF_8));
        }
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);

        Expansion expansion = fixtures.read(cut, ContainerFormat.XZ, "a.xz");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).startsWith("xz stream is corrupt or truncated after 0 members: ");
        });
    }

    @Test
    void aTruncatedTarGivesTheMembersBeforeTheCut() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            addFile(tar, "one.txt", "one".getBytes(StandardCharsets.UTF_8));
            addFile(tar, "two.bin", new byte[100_000]);
        }
        byte[] cut = Arrays.copyOf(bytes.toByteArray(), 50_000);

        Expansion expansion = fixtures.read(cut, ContainerFormat.TAR, "a.tar");

        assertThat(ArchiveFixtures.texts(expansion)).containsOnlyKeys("one.txt");
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).startsWith("tar archive is corrupt or truncated after 1 members");
        });
        expansion.closeMembers();
    }

    @Test
    void cpioAndArGiveTheirFiles() throws IOException {
        ByteArrayOutputStream cpioBytes = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(cpioBytes)) {
            CpioArchiveEntry entry = new CpioArchiveEntry("c.txt", TEXT.length);
            entry.setMode(CpioArchiveEntry.C_ISREG | 0644);
            cpio.putArchiveEntry(entry);
            cpio.write(TEXT);
            cpio.closeArchiveEntry();
        }
        ByteArrayOutputStream arBytes = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(arBytes)) {
            ar.putArchiveEntry(new ArArchiveEntry("d.o", TEXT.length));
            ar.write(TEXT);
            ar.closeArchiveEntry();
        }

        Expansion cpio = fixtures.read(cpioBytes.toByteArray(), ContainerFormat.CPIO, "a.cpio");
        Expansion ar = fixtures.read(arBytes.toByteArray(), ContainerFormat.AR, "a.a");

        assertThat(ArchiveFixtures.texts(cpio)).containsExactly(Map.entry("c.txt", new String(TEXT, StandardCharsets.UTF_8)));
        assertThat(ArchiveFixtures.texts(ar)).containsExactly(Map.entry("d.o", new String(TEXT, StandardCharsets.UTF_8)));
        assertThat(cpio.findings()).isEmpty();
        assertThat(ar.findings()).isEmpty();
        cpio.closeMembers();
        ar.closeMembers();
    }

    @Test
    void compressedMembersAreNamedAsTheToolsWould() {
        assertThat(CompressedMemberName.of(ContainerFormat.GZIP, "a.tgz", null)).isEqualTo("a.tar");
        assertThat(CompressedMemberName.of(ContainerFormat.GZIP, "A.TAR.GZ", null)).isEqualTo("A.TAR");
        assertThat(CompressedMemberName.of(ContainerFormat.GZIP, "a.gz", "b.exe")).isEqualTo("b.exe");
        assertThat(CompressedMemberName.of(ContainerFormat.BZIP2, "a.tbz2", null)).isEqualTo("a.tar");
        assertThat(CompressedMemberName.of(ContainerFormat.COMPRESS_Z, "a.Z", null)).isEqualTo("a");
        assertThat(CompressedMemberName.of(ContainerFormat.XZ, "invoice", null)).isEqualTo("invoice");
        assertThat(CompressedMemberName.of(ContainerFormat.XZ, ".xz", null)).isEqualTo(".xz");
        assertThat(CompressedMemberName.of(ContainerFormat.LZ4, null, null)).isNull();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private void assertSingle(ContainerFormat format, String name, String memberName, Compressor compressor)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor.wrap(bytes)) {
            out.write(TEXT);
        }

        Expansion expansion = fixtures.read(bytes.toByteArray(), format, name);

        assertThat(expansion.findings()).as(format.name()).isEmpty();
        assertThat(expansion.members()).as(format.name()).singleElement().satisfies(member -> {
            assertThat(member.path()).isEqualTo(memberName);
            assertThat(ArchiveFixtures.bytes(member)).isEqualTo(TEXT);
        });
        expansion.closeMembers();
    }

    private static byte[] tar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.putArchiveEntry(new TarArchiveEntry("dir/"));
            tar.closeArchiveEntry();
            addFile(tar, "dir/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("dir/link", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            addFile(tar, "b.exe", "MZ".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
