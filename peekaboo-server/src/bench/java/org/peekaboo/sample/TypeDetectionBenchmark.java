package org.peekaboo.sample;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Content type detection, today's detector (Tika, commit 7bfd76d) beside TikaFileTypeDetector
 * on TikaMagic, in one run: from the file as the daemon calls both now, and from a head in
 * memory as the engine will call the new one once the reader keeps the head.
 * {@code scripts/bench-types} builds and runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TypeDetectionBenchmark {
    @Param({"small-text", "large-text", "pdf", "ole2", "ooxml", "png", "random"})
    public String sample;

    private TodaysTikaFileTypeDetector today;
    private TikaFileTypeDetector magic;
    private Path file;
    private FileHead head;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        today = new TodaysTikaFileTypeDetector();
        magic = new TikaFileTypeDetector();
        if (!magic.detectsWithTikaMagic()) {
            throw new IllegalStateException("TikaFileTypeDetector does not use TikaMagic here");
        }
        byte[] content = content(sample);
        file = Files.createTempFile("type-bench-", "");
        Files.write(file, content);
        head = FileHead.read(file);
        String expected = today.typeByContent(file);
        if (!expected.equals(magic.typeByContent(head)) || !expected.equals(magic.typeByContent(file))) {
            throw new IllegalStateException(sample + ": the detectors disagree");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public String todayFromFile() throws IOException {
        return today.typeByContent(file);
    }

    @Benchmark
    public String tikaMagicFromFile() throws IOException {
        return magic.typeByContent(file);
    }

    @Benchmark
    public String tikaMagicFromHead() {
        return magic.typeByContent(head);
    }

    static byte[] content(String kind) throws IOException {
        return switch (kind) {
            case "small-text" -> text(256);
            case "large-text" -> text(200_000);
            case "pdf" -> resource("header.pdf");
            case "ole2" -> resource("blank.doc");
            case "ooxml" -> ooxml();
            case "png" -> png();
            case "random" -> {
                byte[] bytes = new byte[100_000];
                new Random(1).nextBytes(bytes);
                yield bytes;
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static byte[] text(int size) {
        StringBuilder text = new StringBuilder();
        for (int line = 1; text.length() < size; line++) {
            text.append("Line ").append(line).append(": the quick brown fox jumps over the lazy dog.\n");
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TypeDetectionBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] ooxml() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write("<?xml version=\"1.0\"?><Types/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(text(20_000));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
