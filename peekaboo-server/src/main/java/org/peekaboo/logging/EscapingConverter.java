package org.peekaboo.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * {@code %escape(...)} in a Logback pattern: what the inner pattern produced, made safe by
 * {@link LogText#escape}. The daemon's pattern wraps everything before the line break in it, so no
 * message, MDC value or thread name, wherever its text came from, can break or colour a log line.
 */
public final class EscapingConverter extends CompositeConverter<ILoggingEvent> {
    @Override
    protected String transform(ILoggingEvent event, String in) {
        return LogText.escape(in);
    }
}
