package org.peekaboo.lineprotocol;

import java.util.Objects;
import org.peekaboo.sample.SampleDeclaration;

/** One object of a request array. */
sealed interface RequestPart {

    /** {@code "request": "scan-file"} (the default): a file to judge. */
    record ScanFile(SampleDeclaration declaration) implements RequestPart {
        public ScanFile {
            Objects.requireNonNull(declaration, "declaration");
        }
    }

    /** {@code "request": "ping"}: a liveness check, answered with a pong line. */
    record Ping() implements RequestPart {
    }

    /** {@code "request": "status"}: the daemon's state; only alone in a request. */
    record Status() implements RequestPart {
    }
}
