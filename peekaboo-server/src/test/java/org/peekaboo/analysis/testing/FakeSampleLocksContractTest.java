package org.peekaboo.analysis.testing;

import org.peekaboo.analysis.SampleLocks;

/** The lock contract on the engine tests' fake, so that it answers them as the lock rows would. */
class FakeSampleLocksContractTest extends SampleLocksContract {
    private final FakeSampleLocks.Table table = new FakeSampleLocks.Table();

    @Override
    protected SampleLocks locksOf(String owner) {
        return new FakeSampleLocks(owner, table);
    }
}
