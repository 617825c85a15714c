package org.peekaboo.expansion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.verdict.Result;

/** Archives built in memory and a reader with its own spool, for the ArchiveReader tests. */
final class ArchiveFixtures {
    final Path spoolDirectory;
    final SampleSpool spool;

    ArchiveFixtures(Path spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
        this.spool = SampleSpool.under(spoolDirectory);
    }

    static ExpansionSettings settings(int maxMembers, long maxUnpackedSize, List<String> passwords) {
        return new ExpansionSettings(true, 8, maxMembers, maxUnpackedSize, 100, 1024 * 1024, Duration.ofSeconds(30),
                passwords, true, 200, Result.BAD, Result.BAD, Result.FAILED, Result.FAILED);
    }

    static ExpansionSettings defaults() {
        return ExpansionSettings.defaults();
    }

    ExpansionBudget budget(ExpansionSettings settings) {
        return new ExpansionBudget(settings, spool, System::nanoTime);
    }

    ExpansionBudget budget(ExpansionSettings settings, LongSupplier nanoTime) {
        return new ExpansionBudget(settings, spool, nanoTime);
    }

    Expansion read(byte[] container, ContainerFormat format, String name) {
        return read(container, format, name, Passwords.none(), budget(defaults()));
    }

    Expansion read(byte[] container, ContainerFormat format, String name, Passwords passwords, ExpansionBudget budget) {
        try (SampleContent content = SampleContent.of(container, spool)) {
            return new ArchiveReader().read(content, format, name, passwords, budget);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regular files left in the spool: none once every member and container is closed. */
    List<Path> spooledFiles() throws IOException {
        try (Stream<Path> files = Files.walk(spoolDirectory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** Member paths to their contents as text. */
    static Map<String, String> texts(Expansion expansion) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Member member : expansion.members()) {
            texts.put(member.path(), new String(bytes(member), StandardCharsets.UTF_8));
        }
        return texts;
    }

    static byte[] bytes(Member member) {
        try (InputStream in = member.content().openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ZIP of text entries, deflated; a name ending in "/" is a directory. */
    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] zipOfBytes(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String text(int length, char fill) {
        return String.valueOf(fill).repeat(length);
    }
}
