package org.peekaboo.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Defines which of the daemon's patterns logback.xml uses: {@code journal} when the console
 * appender's stream, the process's stdout, is connected to systemd's journal, {@code console}
 * otherwise. systemd says so in {@code JOURNAL_STREAM} as {@code device:inode} of that stream
 * (systemd.exec(5)); comparing it with stdout's own device and inode rather than trusting its
 * presence keeps the plain format when the variable was inherited by a process whose stdout was
 * redirected, e.g. {@code peekaboo serve > file} run from a shell in a systemd unit.
 *
 * <p>logback.xml passes the variable in as {@code journalStream}, so a test can choose it through
 * a context property instead of the real environment.
 */
public final class LogDestination extends PropertyDefinerBase {
    public static final String JOURNAL = "journal";
    public static final String CONSOLE = "console";

    private static final Path STDOUT = Path.of("/proc/self/fd/1");

    private String journalStream = "";

    public void setJournalStream(String journalStream) {
        this.journalStream = journalStream == null ? "" : journalStream.strip();
    }

    @Override
    public String getPropertyValue() {
        return isStream(journalStream, STDOUT) ? JOURNAL : CONSOLE;
    }

    /**
     * Whether {@code journalStream}, systemd's {@code device:inode} in decimal, names the file that
     * {@code descriptor} (a {@code /proc/self/fd} entry or any path) leads to. Anything unreadable
     * counts as no: the plain format is always safe, only less tidy in the journal.
     */
    public static boolean isStream(String journalStream, Path descriptor) {
        int colon = journalStream.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long device = Long.parseLong(journalStream.substring(0, colon));
            long inode = Long.parseLong(journalStream.substring(colon + 1));
            return device == ((Number) Files.getAttribute(descriptor, "unix:dev")).longValue()
                    && inode == ((Number) Files.getAttribute(descriptor, "unix:ino")).longValue();
        } catch (NumberFormatException | IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
