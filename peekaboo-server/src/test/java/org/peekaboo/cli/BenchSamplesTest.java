package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

class BenchSamplesTest {

    @Test
    void newSamplesAreAllDifferentAndEveryMthCarriesTheMarker() {
        BenchSamples samples = BenchSamples.make(10, 0, 4, 64);

        ByteBuffer[] requests = samples.requests();

        assertThat(Arrays.stream(requests).map(BenchSamplesTest::text).distinct()).hasSize(10);
        assertThat(Arrays.stream(requests).filter(r -> text(r).contains(ContainsPeekabooYarRule.MARKER)))
                .hasSize(2);
        assertThat(samples.expectedBad()).isEqualTo(2);
        assertThat(samples.expectedGood()).isEqualTo(8);
        assertThat(samples.primingRequests()).isEmpty();
    }

    @Test
    void knownSamplesAreTakenInTurnAndPrimedOnce() {
        BenchSamples samples = BenchSamples.make(9, 3, 3, 64);

        ByteBuffer[] requests = samples.requests();
        ByteBuffer[] priming = samples.primingRequests();

        assertThat(Arrays.stream(requests).map(BenchSamplesTest::text).distinct()).hasSize(3);
        assertThat(text(requests[7])).isEqualTo(text(requests[1]));
        assertThat(Arrays.stream(priming).map(BenchSamplesTest::text))
                .containsExactly(text(requests[0]), text(requests[1]), text(requests[2]));
        assertThat(samples.expectedBad()).isEqualTo(3);
        assertThat(text(requests[2])).contains(ContainsPeekabooYarRule.MARKER);
    }

    @Test
    void aRequestWrittenOutLeavesTheOthersWhole() {
        BenchSamples samples = BenchSamples.make(2, 1, 0, 64);
        ByteBuffer[] requests = samples.requests();

        requests[0].position(requests[0].limit());

        assertThat(requests[1].remaining()).isEqualTo(samples.streams().getFirst().remaining()).isPositive();
    }

    private static String text(ByteBuffer request) {
        return StandardCharsets.US_ASCII.decode(request.duplicate()).toString();
    }
}
