package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.config.ExpansionSettings.defaults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.sample.SampleContent;

class OneNoteReaderTest {
    private static final String HTA = "<html><hta:application id=x><script>alert('example.invalid')</script></html>";

    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void tikaNamesAreOneNoteContainers() {
        assertThat(ContainerFormat.of("application/onenote; format=one", null)).contains(ContainerFormat.ONENOTE);
        assertThat(ContainerFormat.of("application/onenote;format=onetoc2", null)).contains(ContainerFormat.ONENOTE);
    }

    @Test
    void theEmbeddedFilesAreMembersAndTheFileGetsItsName() throws IOException {
        byte[] one = OneNoteFixtures.section().name("image1.png").name("Invoice 2023.hta")
                .file(OneNoteFixtures.png()).file(HTA.getBytes(StandardCharsets.UTF_8)).raw(new byte[40]).bytes();

        Expansion expansion = read(one);

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).hasSize(2);
        assertThat(expansion.members().get(0).path()).isNull();
        assertThat(bytes(expansion.members().get(0).content())).isEqualTo(OneNoteFixtures.png());
        assertThat(expansion.members().get(1).path()).isEqualTo("Invoice 2023.hta");
        assertThat(ArchiveFixtures.texts(expansion)).containsEntry("Invoice 2023.hta", HTA);
        expansion.closeMembers();
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    @Test
    void withoutAsManyNamesAsFilesNoFileIsNamed() throws IOException {
        byte[] one = OneNoteFixtures.section().name("a.bat").name("notes about example.com")
                .file("@echo off".getBytes(StandardCharsets.US_ASCII)).bytes();

        Expansion expansion = read(one);

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement().satisfies(member -> assertThat(member.path()).isNull());
        expansion.closeMembers();
    }

    @Test
    void aNameRepeatedForOneStoredFileNamesIt() throws IOException {
        byte[] one = OneNoteFixtures.section().name("open.hta").name("open.hta").name("open.hta")
                .file(OneNoteFixtures.png()).file(HTA.getBytes(StandardCharsets.UTF_8)).bytes();

        Expansion expansion = read(one);

        assertThat(expansion.members()).extracting(Member::path).containsExactly(null, "open.hta");
        expansion.closeMembers();
    }

    @Test
    void aNameWithATerminatingNulIsANameAndAPathIsNone() throws IOException {
        byte[] one = OneNoteFixtures.section().name("C:\\Users\\a\\Desktop\\open.wsf").name("open.wsf\0")
                .file("<job><script language=\"JScript\"></script></job>".getBytes(StandardCharsets.US_ASCII)).bytes();

        Expansion expansion = read(one);

        assertThat(expansion.members()).extracting(Member::path).containsExactly("open.wsf");
        expansion.closeMembers();
    }

    @Test
    void anInterruptionStopsTheReading() {
        byte[] one = OneNoteFixtures.section().file(new byte[10]).bytes();

        Thread.currentThread().interrupt();
        Expansion expansion;
        try {
            expansion = read(one);
        } finally {
            Thread.interrupted();
        }

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).containsExactly(Finding.interrupted());
    }

    @Test
    void aSectionWithoutEmbeddedFilesHasNoMembers() {
        Expansion expansion = read(OneNoteFixtures.section().name("Page title").raw(new byte[500]).bytes());

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).isEmpty();
    }

    @Test
    void aTruncatedFileGivesTheMembersBeforeItAndAFinding() throws IOException {
        byte[] whole = OneNoteFixtures.section().file("first".getBytes(StandardCharsets.US_ASCII))
                .file(new byte[1000]).bytes();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 600);

        Expansion expansion = read(truncated);

        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(bytes(member.content())).isEqualTo("first".getBytes(StandardCharsets.US_ASCII)));
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("truncated");
        });
        expansion.closeMembers();
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    @Test
    void forgedLengthsAreNeverTrusted() {
        for (long length : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1L << 40, 3}) {
            byte[] one = OneNoteFixtures.section().file(new byte[16], length, true).bytes();

            Expansion expansion = read(one);

            assertThat(expansion.members()).as("cbLength %s", Long.toUnsignedString(length)).isEmpty();
            assertThat(expansion.findings()).singleElement()
                    .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE));
        }
    }

    @Test
    void aMissingFooterIsCorrupt() {
        byte[] one = OneNoteFixtures.section().file(new byte[16], 16, false).raw(new byte[64]).bytes();

        Expansion expansion = read(one);

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("corrupt");
        });
    }

    @Test
    void aOneNoteFileInsideIsAMemberNotOpenedHere() throws IOException {
        byte[] inner = OneNoteFixtures.section().file("inner".getBytes(StandardCharsets.US_ASCII)).bytes();
        byte[] outer = OneNoteFixtures.section().file(inner).bytes();

        Expansion expansion = read(outer);

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(bytes(member.content())).isEqualTo(inner));
        expansion.closeMembers();
    }

    @Test
    void theBudgetStopsTheReading() {
        byte[] one = OneNoteFixtures.section().file(new byte[10]).file(new byte[10]).file(new byte[10]).bytes();

        Expansion expansion = read(one, fixtures.budget(ArchiveFixtures.settings(2, 1 << 20, List.of())));

        assertThat(expansion.members()).hasSize(2);
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.MEMBERS));
        expansion.closeMembers();
    }

    @Test
    void manyTinyFilesAreScannedOnlyUpToTheMemberLimit() {
        OneNoteFixtures section = OneNoteFixtures.section();
        for (int i = 0; i < 5000; i++) {
            section.file(new byte[] {(byte) i});
        }
        ExpansionBudget budget = fixtures.budget(ArchiveFixtures.settings(10, 1 << 20, List.of()));

        Expansion expansion = read(section.bytes(), budget);

        assertThat(expansion.members()).hasSize(10);
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.MEMBERS));
        expansion.closeMembers();
    }

    @Test
    void anEmptyOrHeaderOnlyFileIsHarmless() {
        assertThat(read(new byte[0]).members()).isEmpty();
        byte[] headerOnly = Arrays.copyOf(OneNoteLayout.HEADER, 20);
        assertThat(read(headerOnly).findings()).singleElement()
                .satisfies(finding -> assertThat(finding.detail()).contains("truncated"));
    }

    private Expansion read(byte[] one) {
        return read(one, fixtures.budget(defaults()));
    }

    private Expansion read(byte[] one, ExpansionBudget budget) {
        try (SampleContent content = SampleContent.of(one, fixtures.spool)) {
            return new OneNoteReader().read(content, ContainerFormat.ONENOTE, "notes.one", Passwords.none(), budget);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(SampleContent content) {
        try {
            return content.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
