package org.peekaboo.clamd;

import java.util.List;

/**
 * The reply lines to the {@link ClamdRequest} {@code id}, written by {@link ClamdCommandHandler}
 * towards {@link ClamdSessionHandler}, which puts them in request order.
 *
 * @param ends whether the connection ends after this reply (clamd closes after an unknown command)
 */
record ClamdAnswer(long id, List<String> lines, boolean ends) {
    ClamdAnswer {
        lines = List.copyOf(lines);
    }
}
