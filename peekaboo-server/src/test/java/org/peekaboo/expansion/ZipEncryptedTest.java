package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.EncryptionMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipEncryptedTest {
    private static final String PASSWORD = "4711geheim";

    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void aZipCryptoEntryIsOpenedByACandidateFromTheMail() throws IOException {
        byte[] zip = encrypted(EncryptionMethod.ZIP_STANDARD, Map.of("docs/a.docm", "macro " + "x".repeat(5000)));
        Passwords passwords = new Passwords(List.of("infected", "1234"), List.of("Hello", "Bob", PASSWORD));

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "invoice.zip", passwords,
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("docs/a.docm", "macro " + "x".repeat(5000)));
        expansion.closeMembers();
    }

    @Test
    void anAesEntryIsOpenedByAConfiguredPassword() throws IOException {
        byte[] zip = encrypted(EncryptionMethod.AES, Map.of("a.js", "WScript.Shell"));
        Passwords passwords = new Passwords(List.of("infected", PASSWORD), List.of());

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "a.zip", passwords,
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("a.js", "WScript.Shell"));
        expansion.closeMembers();
    }

    @Test
    void manyWrongPasswordsDoNotSpendTheSizeBudget() throws IOException {
        // With hundreds of candidates some pass ZipCrypto's one-byte check; their garbage must not count.
        String content = ZipReaderTest.randomText(200_000);
        byte[] zip = encrypted(EncryptionMethod.ZIP_STANDARD, Map.of("big.txt", content));
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            words.add("wrong" + i);
        }
        words.add(PASSWORD);
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.settings(100, 300_000, List.of()));

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "a.zip", new Passwords(List.of(), words), budget);

        assertThat(expansion.findings()).isEmpty();
        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("big.txt", content));
        assertThat(budget.unpacked()).isEqualTo(content.length());
        expansion.closeMembers();
    }

    @Test
    void anUnknownPasswordGivesAnEncryptedFindingAndThePlainEntriesAreRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, PASSWORD.toCharArray())) {
            put(zip, "plain.txt", "visible", null);
            put(zip, "docs/secret.docm", "hidden", EncryptionMethod.ZIP_STANDARD);
            put(zip, "other.txt", "also visible", null);
        }
        Passwords passwords = new Passwords(List.of("infected", "1234"), List.of("nope"));

        Expansion expansion = fixtures.read(bytes.toByteArray(), ContainerFormat.ZIP, "a.zip", passwords,
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(ArchiveFixtures.texts(expansion)).containsExactly(Map.entry("plain.txt", "visible"),
                Map.entry("other.txt", "also visible"));
        assertThat(expansion.findings()).containsExactly(new Finding(Finding.Kind.ENCRYPTED,
                "\"docs/secret.docm\" is encrypted and none of 3 passwords opened it"));
        expansion.closeMembers();
    }

    @Test
    void anEncryptedEntryWithoutAnyCandidateIsEncrypted() throws IOException {
        byte[] zip = encrypted(EncryptionMethod.AES, Map.of("a.exe", "MZ"));

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "a.zip");

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.ENCRYPTED));
    }

    @Test
    void noFileIsLeftInTheSpoolAfterTries() throws IOException {
        byte[] zip = encrypted(EncryptionMethod.ZIP_STANDARD, Map.of("big.bin", ZipReaderTest.randomText(2_000_000)));
        Passwords passwords = new Passwords(List.of("a", "b", "c", PASSWORD), List.of());

        Expansion expansion = fixtures.read(zip, ContainerFormat.ZIP, "a.zip", passwords,
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(expansion.members()).hasSize(1);
        expansion.closeMembers();
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    private static byte[] encrypted(EncryptionMethod method, Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, PASSWORD.toCharArray())) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                put(zip, entry.getKey(), entry.getValue(), method);
            }
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String text, EncryptionMethod method) throws IOException {
        ZipParameters parameters = new ZipParameters();
        parameters.setFileNameInZip(name);
        parameters.setEncryptFiles(method != null);
        if (method != null) {
            parameters.setEncryptionMethod(method);
            parameters.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
        }
        zip.putNextEntry(parameters);
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
