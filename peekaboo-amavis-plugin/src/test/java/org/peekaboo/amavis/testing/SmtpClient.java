package org.peekaboo.amavis.testing;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one message per connection the way an MTA hands mail to amavis, and returns the
 * reply that decides its fate: the answer to the end of DATA, or the first refusal before.
 */
public final class SmtpClient {
    private final int port;
    private final Duration timeout;

    public SmtpClient(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    public SmtpReply send(String from, String to, MimeMessage message) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try {
            message.writeTo(content);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("the test message cannot be written: " + e.getMessage(), e);
        }
        return send(from, to, content.toByteArray());
    }

    public SmtpReply send(String from, String to, byte[] content) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            SmtpReply reply = read(in, "greeting");
            if (reply.code() != 220) {
                return reply;
            }
            for (String[] step : new String[][] {
                    {"EHLO", "EHLO client.test"},
                    {"MAIL", "MAIL FROM:<" + from + ">"},
                    {"RCPT", "RCPT TO:<" + to + ">"},
                    {"DATA", "DATA"}}) {
                command(out, step[1]);
                reply = read(in, step[0]);
                if (!reply.isPositive()) {
                    return reply;
                }
            }
            out.write(dotStuffed(content));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SmtpReply verdict = read(in, "end of DATA");
            command(out, "QUIT");
            return verdict;
        }
    }

    /** CRLF line ends and a doubled dot at the start of lines, as RFC 5321 transparency requires. */
    static byte[] dotStuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                continue;
            }
            if (b == '\n' || b == '\r') {
                out.write('\r');
                out.write('\n');
                lineStart = true;
                continue;
            }
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static SmtpReply read(InputStream in, String stage) throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("the server closed the connection while " + stage + " was awaited; so far: "
                        + text);
            }
            if (line.length() < 3) {
                throw new IOException("malformed SMTP reply to " + stage + ": " + line);
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new SmtpReply(stage, Integer.parseInt(line.substring(0, 3)), text.toString());
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }
}
