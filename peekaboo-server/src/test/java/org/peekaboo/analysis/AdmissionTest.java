package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.Admission.Permit;
import org.peekaboo.analysis.Admission.Refused;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.Undecided;

/** Admission by time, on a clock the test moves. */
class AdmissionTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long TIMEOUT_SECONDS = 30;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    @Test
    void aFreePermitIsTakenWhateverTheDeadline() throws Exception {
        Admission admission = new Admission(2, now::get);
        learnHold(admission, 10 * SECOND);

        try (Permit permit = admission.enter(now.get())) {
            assertThat(permit).isNotNull();
        }
    }

    @Test
    void aSampleThatWouldWaitBeyondItsDeadlineIsRefusedAtOnce() throws Exception {
        Admission admission = new Admission(1, now::get);
        learnHold(admission, 2 * SECOND);

        try (Permit busy = admission.enter(now.get())) {
            assertThatThrownBy(() -> admission.enter(now.get() + SECOND))
                    .isInstanceOfSatisfying(Refused.class, refused -> {
                        assertThat(refused.verdict().result()).isEqualTo(Result.UNCHECKED);
                        assertThat(refused.verdict().rule()).isEqualTo(Undecided.OVERLOAD.rule());
                        assertThat(refused.verdict().reason()).contains("0 samples waiting for 1 workers")
                                .contains("about 2000 ms to wait but 1000 ms left");
                    });
        }
    }

    @Test
    void aSampleThatCanWaitInTimeWaitsForThePermit() throws Exception {
        Admission admission = new Admission(1, now::get);
        learnHold(admission, 2 * SECOND);
        Permit busy = admission.enter(now.get());

        CompletableFuture<Permit> waiting = enterElsewhere(admission, now.get() + 3 * SECOND);
        awaitWaiting(admission, 1);
        assertThat(waiting).isNotDone();
        busy.close();

        waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
    }

    @Test
    void theWaitGrowsWithTheSamplesAheadSharedAmongThePermits() throws Exception {
        Admission admission = new Admission(2, now::get);
        learnHold(admission, 2 * SECOND);
        Permit first = admission.enter(now.get());
        Permit second = admission.enter(now.get());
        // Nobody ahead: one hold shared by two permits, 1 s.
        CompletableFuture<Permit> third = enterElsewhere(admission, now.get() + 1500 * SECOND / 1000);
        awaitWaiting(admission, 1);
        // One ahead: 2 s, more than this one may wait.
        assertThatThrownBy(() -> admission.enter(now.get() + 1500 * SECOND / 1000)).isInstanceOf(Refused.class);
        // 2.5 s is enough.
        CompletableFuture<Permit> fourth = enterElsewhere(admission, now.get() + 2500 * SECOND / 1000);
        awaitWaiting(admission, 2);

        first.close();
        second.close();
        third.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        fourth.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
    }

    @Test
    void nothingIsRefusedBeforeAnyHoldHasFinished() throws Exception {
        Admission admission = new Admission(1, now::get);
        Permit first = admission.enter(now.get());

        CompletableFuture<Permit> second = enterElsewhere(admission, now.get());
        awaitWaiting(admission, 1);
        first.close();

        second.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
    }

    @Test
    void oneSlowHoldDoesNotRefuseTheWorkBehindIt() throws Exception {
        Admission admission = new Admission(1, now::get);
        learnHold(admission, 60 * SECOND);
        for (int i = 0; i < 2; i++) {
            learnHold(admission, SECOND / 100);
        }
        Permit busy = admission.enter(now.get());

        CompletableFuture<Permit> next = enterElsewhere(admission, now.get() + SECOND);
        awaitWaiting(admission, 1);
        busy.close();

        next.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        assertThat(admission.medianHold()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void rulesThatBecameSlowCountOnceMostRecentHoldsWereSlow() throws Exception {
        Admission admission = new Admission(1, now::get);
        for (int i = 0; i < Admission.RECENT_HOLDS; i++) {
            learnHold(admission, SECOND / 100);
        }
        for (int i = 0; i <= Admission.RECENT_HOLDS / 2; i++) {
            learnHold(admission, 10 * SECOND);
        }
        Permit busy = admission.enter(now.get());

        assertThatThrownBy(() -> admission.enter(now.get() + 5 * SECOND)).isInstanceOf(Refused.class);
        busy.close();
    }

    @Test
    void aPermitIsGivenBackWhileItsSampleWaitsForWorkElsewhere() throws Exception {
        Admission admission = new Admission(1, now::get);
        Permit waitingForCortex = admission.enter(now.get());
        waitingForCortex.suspend();

        Permit other = admission.enter(now.get());
        CompletableFuture<Void> resumed = CompletableFuture.runAsync(() -> {
            try {
                waitingForCortex.resume();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitWaiting(admission, 1);
        other.close();
        resumed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        waitingForCortex.close();

        assertThat(admission.enter(now.get())).as("every permit is back").isNotNull();
    }

    @Test
    void theTimeSpentWaitingForWorkElsewhereDoesNotCountAsHold() throws Exception {
        Admission admission = new Admission(1, now::get);
        Permit permit = admission.enter(now.get());
        now.addAndGet(SECOND);
        permit.suspend();
        now.addAndGet(60 * SECOND);
        permit.resume();
        now.addAndGet(SECOND);
        permit.close();

        assertThat(admission.medianHold()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void waitingIsInterruptible() throws Exception {
        Admission admission = new Admission(1, now::get);
        Permit busy = admission.enter(now.get());
        CompletableFuture<Permit> waiting = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                waiting.complete(admission.enter(Long.MAX_VALUE / 2));
            } catch (Exception e) {
                waiting.completeExceptionally(e);
            }
        });
        awaitWaiting(admission, 1);

        thread.interrupt();

        assertThatThrownBy(() -> waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(admission.waiting()).isZero();
        busy.close();
    }

    private void learnHold(Admission admission, long holdNanos) throws Exception {
        Permit permit = admission.enter(now.get());
        now.addAndGet(holdNanos);
        permit.close();
    }

    private static CompletableFuture<Permit> enterElsewhere(Admission admission, long deadline) {
        CompletableFuture<Permit> entered = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                entered.complete(admission.enter(deadline));
            } catch (Exception e) {
                entered.completeExceptionally(e);
            }
        });
        return entered;
    }

    private static void awaitWaiting(Admission admission, int count) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (admission.waiting() != count) {
            assertThat(System.nanoTime()).as("%d waiting", admission.waiting()).isLessThan(giveUp);
            Thread.sleep(5);
        }
    }
}
