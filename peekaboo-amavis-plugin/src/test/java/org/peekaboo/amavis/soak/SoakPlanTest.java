package org.peekaboo.amavis.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SoakPlanTest {

    private static SoakPlan plan(long seed) {
        return SoakPlan.of(1000, seed, 4, 12, Duration.ofSeconds(6), Duration.ofSeconds(1), Duration.ofSeconds(8),
                20, Duration.ofMinutes(50));
    }

    @Test
    void theSeedDecidesTheFaultsAndEveryKindComesInTurn() {
        SoakPlan plan = plan(42);

        assertThat(plan(42)).isEqualTo(plan);
        assertThat(plan(43).faults()).isNotEqualTo(plan.faults());
        assertThat(plan.faults()).hasSize(12).extracting(PlannedFault::fault)
                .containsOnly(Fault.values()).filteredOn(fault -> fault == Fault.DATABASE_SIGKILL).hasSize(3);
        assertThat(plan.faults()).allSatisfy(fault -> {
            assertThat(fault.afterMails()).isBetween(50, 850);
            assertThat(fault.downtime()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(6));
        });
        assertThat(plan.faults()).extracting(PlannedFault::afterMails).isSorted();
    }

    @Test
    void retriesBackOffLikeAQueueUpToTheLongestWait() {
        SoakPlan plan = plan(1);

        assertThat(plan.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(plan.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(plan.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(plan.backoff(19)).isEqualTo(Duration.ofSeconds(8));
    }
}
