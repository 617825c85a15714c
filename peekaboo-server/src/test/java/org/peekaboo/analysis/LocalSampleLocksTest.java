package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.testing.SampleLocksContract;

/**
 * The lock contract on the locks of one process, with several instances sharing a table as
 * instances share a database's lock rows.
 */
class LocalSampleLocksTest extends SampleLocksContract {
    private final LocalSampleLocks.Table table = new LocalSampleLocks.Table();

    @Override
    protected SampleLocks locksOf(String owner) {
        return new LocalSampleLocks(owner, table);
    }

    /** The engine looks a freshly locked sample up again only where another instance could have finished it. */
    @Test
    void onlyLocksInASharedTableAreSharedWithOtherInstances() {
        assertThat(new LocalSampleLocks("alone").sharedWithOtherInstances()).isFalse();
        assertThat(newInstance().sharedWithOtherInstances()).isTrue();
    }

    @Test
    void locksOutsideASharedTableAreTheirOwnersAlone() {
        SampleLocks first = new LocalSampleLocks("first");
        SampleLocks second = new LocalSampleLocks("second");
        String identity = identity();

        assertThat(first.tryAcquire(identity, T0, LEASE)).isTrue();
        assertThat(second.leases(List.of(identity))).isEmpty();
        assertThat(second.tryAcquire(identity, T0, LEASE)).isTrue();
    }
}
