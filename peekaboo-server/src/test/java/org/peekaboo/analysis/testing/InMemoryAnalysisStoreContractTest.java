package org.peekaboo.analysis.testing;

import java.time.Clock;
import java.time.Duration;
import org.peekaboo.analysis.AnalysisStore;

/** The store contract on the engine tests' store, so that it answers them as the databases would. */
class InMemoryAnalysisStoreContractTest extends AnalysisStoreContract {

    @Override
    protected AnalysisStore openStore(String instanceId, Clock clock, Duration resultMaxAge) {
        return new InMemoryAnalysisStore(instanceId, clock, resultMaxAge);
    }
}
