package org.peekaboo.mta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A milter program a test runs in front of Postfix: where Postfix reaches it, what it logged,
 * and how it is stopped. Also the log chore such daemons share.
 */
interface MilterDaemon extends AutoCloseable {

    /** The {@code smtpd_milters} value that reaches it. */
    String milter();

    /** What it logged, for a failed test's output. */
    String logs();

    @Override
    void close();

    /** The last lines of each log that exists, headed by its name; a log may hold any bytes. */
    static String tails(List<Path> logs, int lines) {
        StringBuilder text = new StringBuilder();
        for (Path log : logs) {
            try {
                if (Files.exists(log)) {
                    List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                    text.append("--- ").append(log).append(" ---\n");
                    all.subList(Math.max(0, all.size() - lines), all.size())
                            .forEach(line -> text.append(line).append('\n'));
                }
            } catch (IOException e) {
                text.append("--- ").append(log).append(" unreadable: ").append(e).append('\n');
            }
        }
        return text.toString();
    }
}
