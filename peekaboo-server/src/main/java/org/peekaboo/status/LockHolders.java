package org.peekaboo.status;

import java.util.List;

/** Who holds rows of the cluster's lock table; the store implements it. */
@FunctionalInterface
public interface LockHolders {
    /**
     * Every instance holding a lock right now, by id.
     *
     * @throws RuntimeException when the table cannot be read
     */
    List<DaemonStatus.Instance> holders();
}
