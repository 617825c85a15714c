package org.peekaboo.clamd;

import io.netty.channel.Channel;
import java.util.EnumSet;

/**
 * Whether a clamd connection is read, when more than one handler may want it paused: reading
 * resumes only once every reason to pause is gone, so one handler cannot undo another's
 * back-pressure. Touched on the connection's event loop only.
 */
final class ReadGate {
    /** Why reading is paused. */
    enum Reason {
        /** A session has {@link ClamdSessionHandler#MAX_OUTSTANDING} replies outstanding. */
        OUTSTANDING_REPLIES,
        /** More INSTREAM data waits for the disk than {@link ClamdUploadHandler#MAX_UNWRITTEN}. */
        SPOOL_BACKLOG
    }

    private final Channel channel;
    private final EnumSet<Reason> holds = EnumSet.noneOf(Reason.class);

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    void hold(Reason reason) {
        holds.add(reason);
        channel.config().setAutoRead(false);
    }

    void release(Reason reason) {
        if (holds.remove(reason) && holds.isEmpty()) {
            channel.config().setAutoRead(true);
        }
    }
}
