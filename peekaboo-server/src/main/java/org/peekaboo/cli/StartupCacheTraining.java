package org.peekaboo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.sample.SampleDeclaration;
import picocli.CommandLine;

/**
 * The training run of the start-up cache: the real daemon ({@code peekaboo serve} on a
 * configuration in a temporary directory, the embedded store, the shipped rules) judges
 * small files of the kinds mail carries over its Unix socket, new ones and the same again,
 * one and several per request on a few connections at once; {@code ping} and {@code scan}
 * run as the health checks run them. Everything those paths load (Netty, Jackson, Tika's
 * detectors, jOOQ's rendering, H2, Logback) ends up in the cache. It returns when the work
 * is done; the caller's {@code System.exit} then stops the daemon through its shutdown hook,
 * and the JVM writes the cache as it exits.
 */
final class StartupCacheTraining {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final int ROUNDS = 30;
    private static final int CONNECTIONS = 4;
    private static final String MARKER = "X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final Path dir;

    StartupCacheTraining(Path dir) {
        this.dir = dir;
    }

    void run() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Path socket = dir.resolve("run/peekaboo.sock");
        Path config = writeConfig(socket, files);
        Thread serve = new Thread(() -> Main.commandLine().execute("serve", "--config", config.toString()),
                "startup-cache-serve");
        serve.setDaemon(true);
        serve.start();
        LineProtocolClient client = LineProtocolClient.unix(socket, Duration.ofSeconds(30));
        awaitReady(client, serve);

        List<List<Path>> requests = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Path> parts = sampleFiles(files, round);
            requests.add(parts);
            parts.forEach(part -> requests.add(List.of(part)));
        }
        judgeAll(client, requests);
        // The same files again: now answered from the store.
        judgeAll(client, requests);

        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(Writer.nullWriter()));
        cli.setErr(new PrintWriter(Writer.nullWriter()));
        cli.execute("ping", "--socket", socket.toString());
        cli.execute("scan", "--socket", socket.toString(), requests.getFirst().getFirst().toString());
        if (!serve.isAlive()) {
            throw new IllegalStateException("the daemon of the training run stopped early");
        }
    }

    private Path writeConfig(Path socket, Path files) throws IOException {
        Path ruleset = Files.writeString(dir.resolve("ruleset.conf"), """
                [rules]
                rule.1 : known
                rule.2 : contains_peekabooyar
                rule.3 : file_larger_than
                rule.4 : file_type_on_whitelist
                rule.5 : file_type_on_greylist
                rule.6 : final_rule
                [file_larger_than]
                bytes : 5
                [file_type_on_whitelist]
                whitelist.1 : text/plain
                whitelist.2 : inode/x-empty
                whitelist.3 : text/html
                [file_type_on_greylist]
                greylist.1 : application/octet-stream
                greylist.2 : application/msword
                greylist.3 : application/pdf
                """);
        return Files.writeString(dir.resolve("peekaboo.conf"), """
                [global]
                data_dir : %s
                [server]
                socket_file : %s
                allowed_dir.0 : %s
                [ruleset]
                config : %s
                """.formatted(dir.resolve("data"), socket, files, ruleset));
    }

    private static void awaitReady(LineProtocolClient client, Thread serve) throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (true) {
            try {
                if (client.ping()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon of the training run did not start listening");
            }
            Thread.sleep(20);
        }
    }

    private static void judgeAll(LineProtocolClient client, List<List<Path>> requests) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS)) {
            List<Future<ScanReply>> replies = new ArrayList<>();
            for (List<Path> request : requests) {
                replies.add(pool.submit(() -> client.scan(request.stream().map(StartupCacheTraining::declared)
                        .toList())));
            }
            for (Future<ScanReply> reply : replies) {
                reply.get();
            }
        }
    }

    /** Declared as amavis declares its parts: a name and a type for most, nothing for some. */
    private static SampleDeclaration declared(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith("noname-")) {
            return SampleDeclaration.ofPath(file.toString());
        }
        return new SampleDeclaration(file.toString(), name.substring(name.indexOf('-') + 1), null, "attachment");
    }

    /** One file of each kind, new content in every round. */
    private static List<Path> sampleFiles(Path dir, int round) throws IOException {
        String unique = UUID.randomUUID() + " " + round;
        List<Path> files = new ArrayList<>();
        files.add(write(dir, round + "-notes.txt", ascii("Peekaboo start-up training " + unique + " lorem ipsum "
                .repeat(6))));
        files.add(write(dir, "noname-" + round, ascii("Just a text file " + unique + "\n")));
        files.add(write(dir, round + "-index.html", ascii("<!DOCTYPE html>\n<html><head><title>" + unique
                + "</title></head><body><p>Hello</p></body></html>\n")));
        files.add(write(dir, round + "-marker.txt", ascii(MARKER + " " + unique + "\n")));
        files.add(write(dir, round + "-empty.txt", new byte[0]));
        files.add(write(dir, round + "-report.pdf", ascii("%PDF-1.4\n% " + unique + "\n1 0 obj << >> endobj\n")));
        files.add(write(dir, round + "-invoice.doc", ole2Header(unique)));
        files.add(write(dir, round + "-letter.docx", zip(unique)));
        files.add(write(dir, round + "-image.png", png(unique)));
        return files;
    }

    private static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ole2Header(String unique) {
        byte[] content = new byte[1536];
        byte[] magic = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
        System.arraycopy(magic, 0, content, 0, magic.length);
        byte[] tail = ascii(unique);
        System.arraycopy(tail, 0, content, 512, tail.length);
        return content;
    }

    private static byte[] png(String unique) {
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        byte[] tail = ascii(unique);
        byte[] content = new byte[magic.length + tail.length];
        System.arraycopy(magic, 0, content, 0, magic.length);
        System.arraycopy(tail, 0, content, magic.length, tail.length);
        return content;
    }

    private static byte[] zip(String unique) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(ascii("<?xml version=\"1.0\"?><Types><!-- " + unique + " --></Types>"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write(ascii("<document>" + unique + "</document>"));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
