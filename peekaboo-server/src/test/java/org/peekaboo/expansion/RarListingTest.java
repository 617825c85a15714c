package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.expansion.testing.RarFiles;

/** File names from RAR headers, both versions, and what damaged or hostile headers give. */
class RarListingTest {
    @TempDir
    Path dir;

    @Test
    void listsTheNamesOfARar5Archive() throws IOException {
        RarListing.Listing listing = listing(RarFiles.rar5("docs/", "", "docs/invoice.pdf.js", "WScript.Echo(1)",
                "readme.txt", "hello"));

        assertThat(listing.version()).isEqualTo(5);
        assertThat(listing.names()).containsExactly("docs/", "docs/invoice.pdf.js", "readme.txt");
        assertThat(listing.complete()).isTrue();
        assertThat(listing.encryptedHeaders()).isFalse();
    }

    @Test
    void listsTheNamesOfARar4ArchiveWithWindowsSeparators() throws IOException {
        RarListing.Listing listing = listing(RarFiles.rar4("scan/IMG_0042.lnk", "L\0\0\0", "note.txt", "hi"));

        assertThat(listing.version()).isEqualTo(4);
        assertThat(listing.names()).containsExactly("scan/IMG_0042.lnk", "note.txt");
        assertThat(listing.complete()).isTrue();
    }

    @Test
    void findsTheSignatureBehindASelfExtractorStub() throws IOException {
        byte[] rar = RarFiles.rar5("setup.exe", "MZ");
        byte[] sfx = new byte[4096 + rar.length];
        sfx[0] = 'M';
        sfx[1] = 'Z';
        System.arraycopy(rar, 0, sfx, 4096, rar.length);

        assertThat(listing(sfx).names()).containsExactly("setup.exe");
    }

    @Test
    void encryptedHeadersHideTheNames() throws IOException {
        RarListing.Listing listing = listing(RarFiles.rar5EncryptedHeaders());

        assertThat(listing.encryptedHeaders()).isTrue();
        assertThat(listing.names()).isEmpty();
    }

    @Test
    void aTruncatedArchiveKeepsTheNamesReadBeforeTheCut() throws IOException {
        byte[] whole = RarFiles.rar5("a.txt", "x".repeat(100), "b.js", "y".repeat(100));
        for (byte[] cut : new byte[][] {Arrays.copyOf(whole, whole.length - 20), Arrays.copyOf(whole, 160)}) {
            RarListing.Listing listing = listing(cut);
            assertThat(listing.complete()).isFalse();
            assertThat(listing.names()).startsWith("a.txt");
        }
        byte[] rar4 = RarFiles.rar4("a.txt", "x", "b.js", "y");
        assertThat(listing(Arrays.copyOf(rar4, rar4.length - 12)).complete()).isFalse();
    }

    @Test
    void noSignatureIsNoRar() throws IOException {
        Path file = Files.write(dir.resolve("x"), "Rar! but no signature".getBytes());

        assertThat(RarListing.read(file)).isEmpty();
        assertThat(RarListing.hasMagic(RarFiles.rar4())).isTrue();
        assertThat(RarListing.hasMagic(RarFiles.rar5())).isTrue();
        assertThat(RarListing.hasMagic("PK\3\4".getBytes())).isFalse();
    }

    @Test
    void garbageAfterTheSignatureNeverThrowsNorLoops() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] head = i % 2 == 0 ? RarFiles.rar5() : RarFiles.rar4();
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            byte[] file = Arrays.copyOf(head, (i % 2 == 0 ? 8 : 7) + noise.length);
            System.arraycopy(noise, 0, file, i % 2 == 0 ? 8 : 7, noise.length);

            RarListing.Listing listing = listing(file);

            assertThat(listing.names().size()).isLessThanOrEqualTo(RarListing.MAX_ENTRIES);
        }
    }

    private RarListing.Listing listing(byte[] bytes) throws IOException {
        return RarListing.read(Files.write(Files.createTempFile(dir, "a", ".rar"), bytes)).orElseThrow();
    }
}
