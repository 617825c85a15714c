package org.peekaboo.db.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.peekaboo.db.DatabaseOutage;

/** Keeps what a {@link DatabaseOutage} would have logged, one line per message. */
public final class RecordingOutageListener implements DatabaseOutage.Listener {
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void wentDown(Instant since, String diagnosis) {
        messages.add("down since " + since + ": " + diagnosis);
    }

    @Override
    public void cameBack(Instant since, Duration downFor) {
        messages.add("back since " + since + " after " + downFor);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
