package org.peekaboo.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LevelToSyslogSeverity;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * {@code %journalPriority(...)} in a Logback pattern: every line of what the inner pattern produced,
 * stack frames included, starts with the syslog priority in the {@code <N>} form that systemd reads
 * on a service's stdout (sd-daemon(3)). The journal stores each line as an entry of its own, so a
 * frame without the prefix would be filed at the unit's default priority and drop out of
 * {@code journalctl -p err} while the line it belongs to stays in. A message cannot forge a prefix:
 * {@code %escape} has already turned its line breaks into text, so it never starts a line.
 */
public final class JournalPriorityConverter extends CompositeConverter<ILoggingEvent> {
    @Override
    protected String transform(ILoggingEvent event, String in) {
        String prefix = "<" + LevelToSyslogSeverity.convert(event) + ">";
        StringBuilder out = new StringBuilder(in.length() + 4 * prefix.length());
        int lineStart = 0;
        while (lineStart < in.length()) {
            int lineEnd = in.indexOf('\n', lineStart);
            int next = lineEnd < 0 ? in.length() : lineEnd + 1;
            out.append(prefix).append(in, lineStart, next);
            lineStart = next;
        }
        return out.toString();
    }
}
