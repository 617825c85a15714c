package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZOutputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SevenZReaderTest {
    @TempDir
    Path temporary;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() throws IOException {
        fixtures = new ArchiveFixtures(Files.createDirectory(temporary.resolve("spool")));
    }

    @Test
    void aPlain7zGivesItsFilesWithTheirPaths() throws IOException {
        byte[] archive = sevenZ(null, entries());

        Expansion expansion = fixtures.read(archive, ContainerFormat.SEVEN_Z, "a.7z");

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).isEqualTo(entries());
        expansion.closeMembers();
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    @Test
    void anEncrypted7zIsOpenedByACandidatePassword() throws IOException {
        byte[] archive = sevenZ("Passwort4711", entries());
        Passwords passwords = new Passwords(List.of("infected"), List.of("Passwort4711"));

        Expansion expansion = fixtures.read(archive, ContainerFormat.SEVEN_Z, "a.7z", passwords,
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).isEqualTo(entries());
        expansion.closeMembers();
    }

    @Test
    void anEncrypted7zWithAnUnknownPasswordIsEncrypted() throws IOException {
        // Commons Compress encrypts the members, not the list of them (7z -mhe=on would).
        byte[] archive = sevenZ("Passwort4711", entries());
        Passwords passwords = new Passwords(List.of("infected"), List.of("nope"));

        Expansion expansion = fixtures.read(archive, ContainerFormat.SEVEN_Z, "a.7z", passwords,
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).containsExactly(
                new Finding(Finding.Kind.ENCRYPTED, "\"docs/a.docm\" is encrypted and none of 2 passwords opened it"),
                new Finding(Finding.Kind.ENCRYPTED, "\"b.txt\" is encrypted and none of 2 passwords opened it"));
    }

    @Test
    void aTruncated7zIsUnreadable() throws IOException {
        byte[] archive = sevenZ(null, Map.of("a.txt", ZipReaderTest.randomText(50_000)));

        Expansion expansion = fixtures.read(Arrays.copyOf(archive, archive.length / 2), ContainerFormat.SEVEN_Z, "a.7z");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).startsWith("7z archive is corrupt or truncated");
        });
    }

    private static Map<String, String> entries() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("docs/a.docm", "macro");
        entries.put("b.txt", "text");
        return entries;
    }

    private byte[] sevenZ(String password, Map<String, String> entries) throws IOException {
        Path file = temporary.resolve("archive-" + System.nanoTime() + ".7z");
        try (SevenZOutputFile out = password == null ? new SevenZOutputFile(file.toFile())
                : new SevenZOutputFile(file.toFile(), password.toCharArray())) {
            SevenZArchiveEntry directory = new SevenZArchiveEntry();
            directory.setName("docs");
            directory.setDirectory(true);
            out.putArchiveEntry(directory);
            out.closeArchiveEntry();
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                SevenZArchiveEntry member = new SevenZArchiveEntry();
                member.setName(entry.getKey());
                out.putArchiveEntry(member);
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return Files.readAllBytes(file);
    }
}
