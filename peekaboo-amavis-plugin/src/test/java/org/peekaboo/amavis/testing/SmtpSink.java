package org.peekaboo.amavis.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The next hop after amavis: a minimal SMTP server on loopback that accepts every message
 * and records it. It accepts only after the whole message is stored, so once amavis has
 * answered its client with 250 the message is already here.
 */
public final class SmtpSink implements AutoCloseable {
    private static final int MAX_LINE = 1000;

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "smtp-sink");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ReceivedMail> received = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private SmtpSink(ServerSocket server) {
        this.server = server;
    }

    public static SmtpSink start() throws IOException {
        SmtpSink sink = new SmtpSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        sink.connections.execute(sink::acceptLoop);
        return sink;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every message received so far, oldest first. */
    public List<ReceivedMail> messages() {
        return List.copyOf(received);
    }

    /** Messages whose data contains the text, e.g. a test's unique subject. */
    public List<ReceivedMail> messagesContaining(String text) {
        return received.stream().filter(mail -> mail.text().contains(text)).toList();
    }

    /** Protocol errors the sink saw; a test can show them when amavis did not deliver. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> converse(socket));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                errors.add("accept failed: " + e);
            }
        }
    }

    private void converse(Socket socket) {
        try (socket) {
            socket.setSoTimeout(120_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink.test ESMTP test sink");
            String from = null;
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-sink.test\r\n250 8BITMIME");
                    case "HELO" -> reply(out, "250 sink.test");
                    case "MAIL" -> {
                        from = argument(line);
                        rcpts.clear();
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        rcpts.add(argument(line));
                        reply(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        if (from == null || rcpts.isEmpty()) {
                            reply(out, "503 5.5.1 MAIL and RCPT first");
                            continue;
                        }
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        received.add(new ReceivedMail(from, rcpts, readData(in)));
                        from = null;
                        rcpts.clear();
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                    case "RSET" -> {
                        from = null;
                        rcpts.clear();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> {
                        errors.add("unknown command: " + line);
                        reply(out, "502 5.5.2 Command not recognized");
                    }
                }
            }
        } catch (IOException e) {
            if (!server.isClosed()) {
                errors.add("connection failed: " + e);
            }
        }
    }

    /** The path between the angle brackets of MAIL FROM:<...> or RCPT TO:<...>. */
    private static String argument(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        return open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(line.indexOf(':') + 1).trim();
    }

    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine(in);
            if (line == null) {
                throw new IOException("connection closed inside DATA");
            }
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                return data.toByteArray();
            }
            int start = line.length > 0 && line[0] == '.' ? 1 : 0;
            data.write(line, start, line.length - start);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        byte[] raw = readRawLine(in);
        if (raw == null) {
            return null;
        }
        if (raw.length > MAX_LINE) {
            throw new IOException("command line longer than " + MAX_LINE + " bytes");
        }
        return new String(raw, StandardCharsets.UTF_8).stripTrailing();
    }

    /** One line including its CRLF, or null at the end of the stream. */
    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
