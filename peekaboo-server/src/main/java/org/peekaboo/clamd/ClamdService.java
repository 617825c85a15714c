package org.peekaboo.clamd;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.config.ClamdSettings;

/**
 * What every connection of one clamd front end shares.
 *
 * @param blocking runs what may block (walking a directory, writing INSTREAM data) off the event loop
 */
record ClamdService(ClamdSettings settings, ClamdReplies replies, ScanService engine, AllowedDirectories allowed,
                    StreamSpool spool, Executor blocking, ClamdStats stats) {
    ClamdService {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(replies, "replies");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(stats, "stats");
    }
}
