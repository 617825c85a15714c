package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;

class SampleContextTest {
    @TempDir
    Path dir;

    @Test
    void theJobIdComesFromTheEnginesJob() throws Exception {
        SampleContext context = context();
        context.analysedAs(Job.fixed(41), ExternalWaits.DIRECT);

        assertThat(context.jobId()).isEqualTo(41);
        assertThat(context.jobIdSoFar()).isEqualTo(41);
    }

    @Test
    void aReportIsComputedOnceAndCached() throws Exception {
        CountingSource source = new CountingSource(false);
        SampleContext context = context();

        assertThat(context.report(source)).isEqualTo("report 1");
        assertThat(context.report(source)).isEqualTo("report 1");
        assertThat(source.calls).hasValue(1);
    }

    @Test
    void aFailureIsNotCachedSoALaterRuleMayTryAgain() throws Exception {
        CountingSource source = new CountingSource(true);
        SampleContext context = context();

        assertThatThrownBy(() -> context.report(source)).hasMessage("attempt 1 failed");
        assertThatThrownBy(() -> context.report(source)).hasMessage("attempt 2 failed");
    }

    @Test
    void aSourceThatComputesNothingIsAnError() throws Exception {
        ReportSource<String> nothing = new ReportSource<>() {
            @Override
            public String name() {
                return "nothingreport";
            }

            @Override
            public String compute(SampleContext context) {
                return null;
            }
        };
        assertThatThrownBy(() -> context().report(nothing)).hasMessageContaining("nothingreport");
    }

    private SampleContext context() throws IOException {
        return TestSamples.context(new TestSamples(dir).sample("content", "a.txt", null),
                FakeFileTypeDetector.nothingDetected());
    }

    private static final class CountingSource implements ReportSource<String> {
        private final AtomicInteger calls = new AtomicInteger();
        private final boolean failing;

        CountingSource(boolean failing) {
            this.failing = failing;
        }

        @Override
        public String name() {
            return "countingreport";
        }

        @Override
        public String compute(SampleContext context) throws IOException {
            int call = calls.incrementAndGet();
            if (failing) {
                throw new IOException("attempt " + call + " failed");
            }
            return "report " + call;
        }
    }
}
