package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.expansion.testing.DiskImages;
import org.peekaboo.sample.SampleContent;

class DiskImageTest {
    private static final byte[] PDF = "%PDF-1.4\n% a benign document\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG = text(5000);

    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    private static Map<String, byte[]> dropper() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Invoice 2024 (scanned copy).lnk", DiskImages.fakeShortcut());
        files.put("data/deeper/runtime.dll", DiskImages.fakeProgram());
        files.put("docs/Report with a long name.pdf", PDF);
        files.put("LONG.TXT", LONG);
        return files;
    }

    @Test
    void jolietNamesAreLongAndInMixedCase() throws IOException {
        DiskImage.Files files = DiskImage.files(DiskSource.of(DiskImages.iso(dropper(), true)));

        assertThat(files.kind()).isEqualTo("ISO 9660 image");
        assertThat(files.problem()).isNull();
        assertThat(files.files()).extracting(DiskFile::path).containsExactly("Invoice 2024 (scanned copy).lnk",
                "data/deeper/runtime.dll", "docs/Report with a long name.pdf", "LONG.TXT");
        assertThat(content(files, "docs/Report with a long name.pdf")).isEqualTo(PDF);
        assertThat(content(files, "LONG.TXT")).isEqualTo(LONG);
    }

    @Test
    void withoutJolietThePrimaryNamesLoseTheirVersion() {
        DiskImage.Files files = DiskImage.files(DiskSource.of(DiskImages.iso(dropper(), false)));

        assertThat(files.problem()).isNull();
        assertThat(files.files()).extracting(DiskFile::path).containsExactly("INVOICE_.LNK", "DATA/DEEPER/RUNTIME.DLL",
                "DOCS/REPORT_W.PDF", "LONG.TXT");
    }

    @Test
    void aDirectoryThatContainsItselfIsALoop() {
        DiskImage.Files files = DiskImage.files(DiskSource.of(DiskImages.isoWithLoop(dropper())));

        assertThat(files.problem()).contains("contains itself");
    }

    @Test
    void directoriesNestedTooDeeplyStopTheListing() {
        String deep = "d/".repeat(DiskListing.MAX_DEPTH + 2) + "x.txt";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("first.txt", PDF);
        files.put(deep, PDF);

        for (byte[] image : List.of(DiskImages.iso(files, true), DiskImages.fat12(files))) {
            DiskImage.Files listed = DiskImage.files(DiskSource.of(image));

            assertThat(listed.problem()).contains("nested more than 32 deep");
            assertThat(listed.files()).extracting(DiskFile::path).containsExactly("first.txt");
        }
    }

    @Test
    void aHybridIsoIsReadAsTheIsoItIs() {
        byte[] iso = DiskImages.iso(dropper(), true);
        byte[] hybrid = DiskImages.mbrDisk(new byte[0]);
        System.arraycopy(hybrid, 0, iso, 0, 512);

        DiskImage.Files files = DiskImage.files(DiskSource.of(iso));

        assertThat(files.kind()).isEqualTo("ISO 9660 image");
        assertThat(files.files()).hasSize(4);
    }

    @Test
    void aTruncatedIsoKeepsWhatWasReadAndSaysSo() {
        byte[] iso = DiskImages.iso(dropper(), true);
        DiskImage.Files files = DiskImage.files(DiskSource.of(Arrays.copyOf(iso, iso.length - 3000)));

        assertThat(files.kind()).isEqualTo("ISO 9660 image");
        assertThat(files.problem()).contains("truncated");
    }

    @Test
    void fatImagesHaveLongNamesDirectoriesAndChains() throws IOException {
        DiskImage.Files files = DiskImage.files(DiskSource.of(DiskImages.fat12(dropper())));

        assertThat(files.kind()).isEqualTo("FAT image");
        assertThat(files.problem()).isNull();
        assertThat(files.files()).extracting(DiskFile::path).containsExactly("Invoice 2024 (scanned copy).lnk",
                "data/deeper/runtime.dll", "docs/Report with a long name.pdf", "LONG.TXT");
        assertThat(content(files, "LONG.TXT")).isEqualTo(LONG);
        assertThat(content(files, "data/deeper/runtime.dll")).isEqualTo(DiskImages.fakeProgram());
    }

    @Test
    void aClusterChainThatLoopsIsDamage() {
        DiskImage.Files files = DiskImage.files(DiskSource.of(DiskImages.fat12WithChainLoop(dropper())));

        assertThat(files.problem()).contains("loops");
    }

    @Test
    void aPartitionedDiskIsReadThroughItsPartitionTable() throws IOException {
        DiskImage.Files files = DiskImage.files(DiskSource.of(DiskImages.mbrDisk(DiskImages.fat12(dropper()))));

        assertThat(files.kind()).isEqualTo("partitioned disk image");
        assertThat(files.problem()).isNull();
        assertThat(content(files, "LONG.TXT")).isEqualTo(LONG);
    }

    @Test
    void fixedAndDynamicVhdsHoldTheirDisk() throws IOException {
        byte[] disk = DiskImages.mbrDisk(DiskImages.fat12(dropper()));
        for (byte[] vhd : List.of(DiskImages.fixedVhd(disk), DiskImages.dynamicVhd(disk, 64 * 1024))) {
            DiskImage.Files files = DiskImage.files(DiskSource.of(vhd));

            assertThat(files.kind()).isEqualTo("VHD image");
            assertThat(files.problem()).isNull();
            assertThat(files.files()).hasSize(4);
            assertThat(content(files, "LONG.TXT")).isEqualTo(LONG);
        }
    }

    @Test
    void aDynamicVhdIsSmallerThanItsDiskBecauseZerosAreNotStored() {
        byte[] disk = DiskImages.mbrDisk(DiskImages.fat12(dropper()));
        assertThat(DiskImages.dynamicVhd(disk, 64 * 1024).length).isLessThan(disk.length / 4);
    }

    @Test
    void ntfsVolumesAreWalkedThroughTheirMasterFileTable() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Invoice 2024.lnk", DiskImages.fakeShortcut());
        files.put("Data/update.dll", DiskImages.fakeProgram());
        files.put("LONG.TXT", LONG);

        DiskImage.Files listed = DiskImage.files(DiskSource.of(DiskImages.fixedVhd(DiskImages.ntfs(files, false))));

        assertThat(listed.kind()).isEqualTo("VHD image");
        assertThat(listed.problem()).isNull();
        assertThat(listed.files()).extracting(DiskFile::path).containsExactly("Invoice 2024.lnk", "Data/update.dll",
                "LONG.TXT");
        assertThat(content(listed, "Data/update.dll")).isEqualTo(DiskImages.fakeProgram());
        assertThat(content(listed, "LONG.TXT")).isEqualTo(LONG);
    }

    @Test
    void aTornNtfsRecordIsDamageNotSilence() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("readme.txt", PDF);
        files.put("Data/update.dll", DiskImages.fakeProgram());

        DiskImage.Files listed = DiskImage.files(DiskSource.of(DiskImages.ntfs(files, true)));

        assertThat(listed.kind()).isEqualTo("NTFS image");
        assertThat(listed.problem()).contains("torn");
        assertThat(listed.files()).extracting(DiskFile::path).containsExactly("readme.txt");
    }

    @Test
    void vhdxIsRecognisedButNotRead() {
        byte[] vhdx = Arrays.copyOf("vhdxfile".getBytes(StandardCharsets.US_ASCII), 4096);

        DiskImage.Files files = DiskImage.files(DiskSource.of(vhdx));

        assertThat(files.kind()).isEqualTo("VHDX image");
        assertThat(files.problem()).contains("VHDX");
    }

    @Test
    void otherFilesAreNoDiskImages() throws IOException {
        Random random = new Random(13);
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[random.nextInt(1, 200_000)];
            random.nextBytes(noise);
            assertThat(DiskImage.kindOf(DiskSource.of(noise))).isEmpty();
            if (noise.length >= 512) {
                // A boot sector signature alone does not make an image.
                noise[510] = 0x55;
                noise[511] = (byte) 0xAA;
                noise[0] = (byte) 0xEB;
                assertThat(DiskImage.kindOf(DiskSource.of(noise))).isEmpty();
            }
        }
        assertThat(DiskImage.kindOf(DiskSource.of(ArchiveFixtures.zip(Map.of("a.txt", "hello"))))).isEmpty();
        assertThat(DiskImage.kindOf(DiskSource.of(PDF))).isEmpty();
        assertThat(DiskImage.kindOf(DiskSource.of(new byte[100_000]))).isEmpty();
    }

    @Test
    void damagedImagesNeverThrowNorHang() {
        Map<String, byte[]> files = new LinkedHashMap<>(dropper());
        byte[] fat = DiskImages.fat12(files);
        List<byte[]> images = List.of(DiskImages.iso(files, true), fat, DiskImages.mbrDisk(fat),
                DiskImages.dynamicVhd(DiskImages.mbrDisk(fat), 64 * 1024), DiskImages.ntfs(files, false));
        Random random = new Random(13);
        for (int round = 0; round < Integer.getInteger("peekaboo.diskFuzzRounds", 60); round++) {
            for (byte[] image : images) {
                byte[] damaged = image.clone();
                for (int i = 0; i < 20; i++) {
                    // Damage where the structures are: the first 64 KiB, else anywhere.
                    int at = random.nextBoolean() ? random.nextInt(Math.min(damaged.length, 65536))
                            : random.nextInt(damaged.length);
                    damaged[at] = (byte) random.nextInt(256);
                }
                DiskImage.Files listed = DiskImage.files(DiskSource.of(damaged));
                assertThat(listed.files().size()).isLessThanOrEqualTo(DiskListing.MAX_ENTRIES);
            }
        }
    }

    @Test
    void theReaderMakesMembersOfTheFiles() {
        Expansion expansion = read(DiskImages.iso(dropper(), true));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path).containsExactly("Invoice 2024 (scanned copy).lnk",
                "data/deeper/runtime.dll", "docs/Report with a long name.pdf", "LONG.TXT");
        assertThat(ArchiveFixtures.texts(expansion)).containsEntry("LONG.TXT", new String(LONG, StandardCharsets.UTF_8));
        expansion.closeMembers();
    }

    @Test
    void aDamagedImageIsReportedLikeADamagedArchive() {
        byte[] fat = DiskImages.fat12WithChainLoop(dropper());

        Expansion expansion = read(fat);

        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("FAT image").contains("loops");
        });
        expansion.closeMembers();
    }

    @Test
    void theExpanderRecognisesImagesThatTikaCallsOctetStream() throws IOException {
        Expander expander = new Expander(ArchiveFixtures.defaults(), fixtures.spool);
        try (SampleContent fat = SampleContent.of(DiskImages.fixedVhd(DiskImages.fat12(dropper())), fixtures.spool);
             SampleContent noise = SampleContent.of(text(70_000), fixtures.spool)) {
            assertThat(expander.formatOf("application/octet-stream", null, fat)).contains(ContainerFormat.DISK_IMAGE);
            assertThat(expander.formatOf("application/octet-stream", null, noise)).isEmpty();
            assertThat(expander.formatOf("image/png", null, fat)).isEmpty();
        }
        assertThat(ContainerFormat.of("application/x-iso9660-image", null)).contains(ContainerFormat.DISK_IMAGE);
    }

    private Expansion read(byte[] image) {
        try (SampleContent content = SampleContent.of(image, fixtures.spool)) {
            return new DiskImageReader().read(content, ContainerFormat.DISK_IMAGE, "image.iso", Passwords.none(),
                    fixtures.budget(ArchiveFixtures.defaults()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] content(DiskImage.Files files, String path) throws IOException {
        DiskFile file = files.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
        try (InputStream in = file.stream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] text(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }
}
