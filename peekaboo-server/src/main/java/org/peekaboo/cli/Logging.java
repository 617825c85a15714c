package org.peekaboo.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.peekaboo.config.LoggingSettings;
import org.slf4j.LoggerFactory;

/** Applies the configured log level to Logback's root logger. */
public final class Logging {
    private Logging() {
    }

    public static void apply(LoggingSettings settings) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        }
    }
}
