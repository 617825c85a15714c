package org.peekaboo.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's own logback.xml under systemd: with {@code JOURNAL_STREAM} naming stdout, lines
 * carry a syslog priority instead of a timestamp; otherwise they are as they always were. The
 * variable is given as a context property, which Logback prefers to the real environment, so the
 * test is the same wherever it runs.
 */
class JournalLogFormatTest {
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)";
    private static final String HOSTILE = "evil\n<0>forged emergency\r\u001b[2J\0\u202e";

    @TempDir
    Path dir;

    @Test
    void levelsBecomeSyslogPrioritiesInFrontOfEveryLine() throws Exception {
        Encoder<ILoggingEvent> journal = daemonEncoder(stdoutStream());

        assertThat(line(journal, Level.ERROR)).startsWith("<3>ERROR [peekaboo-io-1-1] ");
        assertThat(line(journal, Level.WARN)).startsWith("<4>WARN  [peekaboo-io-1-1] ");
        assertThat(line(journal, Level.INFO)).startsWith("<6>INFO  [peekaboo-io-1-1] ");
        assertThat(line(journal, Level.DEBUG)).startsWith("<7>DEBUG [peekaboo-io-1-1] ");
        assertThat(line(journal, Level.TRACE)).startsWith("<7>TRACE [peekaboo-io-1-1] ");
    }

    @Test
    void theJournalLineIsTheConsoleLineWithThePriorityForTheTimestamp() throws Exception {
        // The layout around the message is all that differs; the per-sample line's fields, which
        // operators grep for, come out character for character as before.
        LoggingEvent sample = event(Level.INFO, "Sample sha256={} size=17 name=\"invoice.pdf\" path=\"invoice.pdf\""
                + " job={} result=good rule=known ms=12 reason=\"The file is known to be harmless\"", null,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 4711L);
        sample.setMDCPropertyMap(Map.of("client", "unix:/run/peekaboo/peekaboo.sock#17"));

        String console = lines(daemonEncoder(""), sample).getFirst();
        String journal = lines(daemonEncoder(stdoutStream()), sample).getFirst();

        assertThat(console).matches(TIMESTAMP + " INFO  .*");
        assertThat(journal).isEqualTo("<6>" + console.replaceFirst("^" + TIMESTAMP + " ", ""));
        assertThat(journal).doesNotContainPattern(TIMESTAMP)
                .endsWith("unix:/run/peekaboo/peekaboo.sock#17 org.peekaboo.test - Sample"
                        + " sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 size=17"
                        + " name=\"invoice.pdf\" path=\"invoice.pdf\" job=4711 result=good rule=known ms=12"
                        + " reason=\"The file is known to be harmless\"");
    }

    @Test
    void messagesStayEscapedAndCannotForgeAPriority() throws Exception {
        List<String> lines = lines(daemonEncoder(stdoutStream()), event(Level.WARN, "Refused request: {}", null, HOSTILE));

        assertThat(lines).containsExactly("<4>WARN  [peekaboo-io-1-1]  org.peekaboo.test - Refused request:"
                + " evil\\n<0>forged emergency\\r\\e[2J\\0\\u202e");
    }

    @Test
    void everyLineOfAStackTraceCarriesTheEventsPriority() throws Exception {
        Exception failure = new IllegalStateException("bad path " + HOSTILE, new IOException("cause " + HOSTILE));

        List<String> lines = lines(daemonEncoder(stdoutStream()), event(Level.ERROR, "The engine failed", failure));

        assertThat(lines.getFirst()).isEqualTo("<3>ERROR [peekaboo-io-1-1]  org.peekaboo.test - The engine failed");
        assertThat(lines.get(1)).startsWith("<3>java.lang.IllegalStateException: bad path evil\\n<0>forged");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("<3>Caused by: java.io.IOException: cause evil\\n"));
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(line -> assertThat(line).matches("<3>(java\\.|Caused by: |\\tat |\\t\\.\\.\\. ).*"));
        // One trace, not a second one appended by Logback for a pattern it thinks ignores throwables.
        assertThat(lines).filteredOn(line -> line.contains("IllegalStateException")).hasSize(1);
        for (String line : lines) {
            assertThat(line.replaceFirst("^<3>\\t", "").chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)))
                    .as(line).isEmpty();
        }
    }

    @Test
    void withoutJournalStreamTheConsoleFormatIsUnchanged() throws Exception {
        Exception failure = new IllegalStateException("broken");
        List<String> lines = lines(daemonEncoder(""), event(Level.ERROR, "The engine failed", failure));

        assertThat(lines.getFirst()).matches(TIMESTAMP + " ERROR \\[peekaboo-io-1-1\\]  org\\.peekaboo\\.test - The engine failed");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: broken");
        assertThat(lines).noneMatch(line -> line.startsWith("<"));
    }

    @Test
    void aJournalStreamThatIsNotStdoutKeepsTheConsoleFormat() throws Exception {
        // Inherited by a process whose stdout was redirected to a file: the journal never sees it.
        Path elsewhere = Files.writeString(dir.resolve("redirected.log"), "");
        String inherited = Files.getAttribute(elsewhere, "unix:dev") + ":" + Files.getAttribute(elsewhere, "unix:ino");

        assertThat(line(daemonEncoder(inherited), Level.INFO)).matches(TIMESTAMP + " INFO  .*");
        assertThat(line(daemonEncoder("not-a-device"), Level.INFO)).matches(TIMESTAMP + " INFO  .*");
    }

    @Test
    void aStreamMatchesOnlyItsOwnDeviceAndInode() throws Exception {
        Path file = Files.writeString(dir.resolve("stream"), "");
        long device = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();

        assertThat(LogDestination.isStream(device + ":" + inode, file)).isTrue();
        assertThat(LogDestination.isStream(device + ":" + (inode + 1), file)).isFalse();
        assertThat(LogDestination.isStream((device + 1) + ":" + inode, file)).isFalse();
        assertThat(LogDestination.isStream("", file)).isFalse();
        assertThat(LogDestination.isStream(":" + inode, file)).isFalse();
        assertThat(LogDestination.isStream(device + ":" + inode, dir.resolve("missing"))).isFalse();
    }

    /** What systemd would put into JOURNAL_STREAM if this JVM's stdout were the journal's socket. */
    private static String stdoutStream() throws IOException {
        Path stdout = Path.of("/proc/self/fd/1");
        return Files.getAttribute(stdout, "unix:dev") + ":" + Files.getAttribute(stdout, "unix:ino");
    }

    @SuppressWarnings("unchecked")
    private Encoder<ILoggingEvent> daemonEncoder(String journalStream) throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("JOURNAL_STREAM", journalStream);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
        OutputStreamAppender<?> console = (OutputStreamAppender<?>) context.getLogger("ROOT").getAppender("console");
        return (Encoder<ILoggingEvent>) console.getEncoder();
    }

    private String line(Encoder<ILoggingEvent> encoder, Level level) {
        List<String> lines = lines(encoder, event(level, "Answered {} ping(s)", null, 3));
        assertThat(lines).hasSize(1);
        return lines.getFirst();
    }

    private LoggingEvent event(Level level, String message, Throwable failure, Object... arguments) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("org.peekaboo.test"), level,
                message, failure, arguments);
        event.setThreadName("peekaboo-io-1-1");
        return event;
    }

    private static List<String> lines(Encoder<ILoggingEvent> encoder, LoggingEvent event) {
        String written = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(written).endsWith("\n");
        return written.lines().toList();
    }
}
