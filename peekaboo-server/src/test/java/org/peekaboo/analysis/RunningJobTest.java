package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.peekaboo.verdict.SampleVerdict;

class RunningJobTest {
    private final AtomicInteger begun = new AtomicInteger();

    @Test
    void theStartIsRecordedOnceWhenTheIdIsFirstNeeded() {
        RunningJob job = new RunningJob(() -> 40 + begun.incrementAndGet());

        assertThat(job.idSoFar()).isEqualTo(SampleVerdict.NO_JOB);
        assertThat(job.id()).isEqualTo(41);
        assertThat(job.id()).isEqualTo(41);
        assertThat(job.end()).isEqualTo(41);
        assertThat(begun).hasValue(1);
    }

    @Test
    void nothingIsRecordedAfterTheRunHasEnded() {
        RunningJob job = new RunningJob(() -> 40 + begun.incrementAndGet());

        assertThat(job.end()).isEqualTo(SampleVerdict.NO_JOB);
        assertThat(job.id()).isEqualTo(SampleVerdict.NO_JOB);
        assertThat(begun).hasValue(0);
    }

    @Test
    void aStartThatCannotBeRecordedIsTriedAgainByTheNextThatNeedsIt() {
        RunningJob job = new RunningJob(() -> {
            if (begun.incrementAndGet() == 1) {
                throw new IllegalStateException("database gone");
            }
            return 7;
        });

        assertThatThrownBy(job::id).hasMessage("database gone");
        assertThat(job.idSoFar()).isEqualTo(SampleVerdict.NO_JOB);
        assertThat(job.id()).isEqualTo(7);
    }
}
