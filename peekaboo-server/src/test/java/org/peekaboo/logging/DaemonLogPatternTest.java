package org.peekaboo.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daemon's own logback.xml, as shipped: client text cannot break or colour its lines. */
class DaemonLogPatternTest {
    private static final String HOSTILE = "evil\n2026-01-01T00:00:00.000Z INFO  [main] forged - all good\r\u001b[2J\0\u0085\u202e";

    private LoggerContext context;
    private Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void loadTheDaemonsConfiguration() throws JoranException {
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        // The console format, also when the test runs under systemd: see JournalLogFormatTest.
        context.putProperty("JOURNAL_STREAM", "");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL daemonConfig = getClass().getClassLoader().getResource("logback.xml");
        configurator.doConfigure(daemonConfig);
        OutputStreamAppender<?> console = (OutputStreamAppender<?>) context.getLogger("ROOT").getAppender("console");
        encoder = (Encoder<ch.qos.logback.classic.spi.ILoggingEvent>) console.getEncoder();
    }

    @Test
    void aHostileMessageArgumentStaysOnOneLineWithoutControlCharacters() {
        LoggingEvent event = event("Refused request: {}", new Object[] {HOSTILE}, null);

        List<String> lines = lines(event);

        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("Refused request: evil\\n2026-01-01T00:00:00.000Z INFO  [main] forged"
                + " - all good\\r\\e[2J\\0\\x85\\u202e");
        assertNoControlCharacters(lines);
    }

    @Test
    void hostileMdcValuesAreEscapedToo() {
        LoggingEvent event = event("Connected", null, null);
        event.setMDCPropertyMap(Map.of("client", "tcp:\n\u001b[31m", "sample", "abc"));

        List<String> lines = lines(event);

        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).contains("tcp:\\n\\e[31m abc");
    }

    @Test
    void exceptionMessagesAreEscapedAndTheFramesKeepTheirLines() {
        Exception failure = new IllegalStateException("bad path " + HOSTILE,
                new java.io.IOException("cause " + HOSTILE));
        LoggingEvent event = event("The engine failed", null, failure);

        List<String> lines = lines(event);

        assertThat(lines.getFirst()).endsWith("- The engine failed");
        assertThat(lines.get(1)).startsWith("java.lang.IllegalStateException: bad path evil\\n2026");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("Caused by: java.io.IOException: cause evil\\n"));
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(line -> assertThat(line).matches("(java\\.|Caused by: |\\tat |\\t\\.\\.\\. ).*"));
        assertNoControlCharacters(lines);
    }

    private LoggingEvent event(String message, Object[] arguments, Throwable failure) {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("org.peekaboo.test"),
                Level.INFO, message, failure, arguments);
        event.setThreadName("peekaboo-io-1-1");
        return event;
    }

    private List<String> lines(LoggingEvent event) {
        String written = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(written).endsWith("\n");
        return written.lines().toList();
    }

    private static void assertNoControlCharacters(List<String> lines) {
        for (String line : lines) {
            // A tab starts each stack frame, as in every Java log; it is the only control character.
            assertThat(line.replaceFirst("^\\t", "").chars().filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f)
                    || c == 0x202e)).as(line).isEmpty();
        }
    }
}
