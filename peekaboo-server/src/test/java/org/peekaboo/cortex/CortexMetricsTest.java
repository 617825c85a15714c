package org.peekaboo.cortex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.metrics.PeekabooMetrics;
import org.peekaboo.metrics.testing.Exposition;
import org.peekaboo.ruleset.testing.TestSamples;

/** Cortex analyses against the emulator (real HTTP, Cortex's job life cycle), as the metrics count them. */
class CortexMetricsTest {
    @TempDir
    Path dir;

    private final PeekabooMetrics metrics = new PeekabooMetrics("test");
    private CortexEmulator cortex;
    private CortexClient client;

    @BeforeEach
    void start() throws Exception {
        cortex = CortexEmulator.start(Clock.systemUTC(), "/cortex");
        client = new CortexClient(CortexSettings.of(cortex.url(), new Secret(CortexEmulator.ANALYZE_KEY))
                .withPollInterval(Duration.ofMillis(20)).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), 2),
                Clock.systemUTC(), metrics);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        cortex.close();
    }

    @Test
    void eachAnalysisIsTimedOnceAndOnlyFailuresAreErrors() throws Exception {
        TestSamples samples = new TestSamples(dir);
        cortex.analyzer("CuckooSandbox_File_Analysis_Inet_1_2").fails("CuckooSandbox analysis timed out");

        client.analyze(samples.sample("%PDF-1.4 an invoice", "invoice.pdf", "application/pdf"),
                CortexAnalyzer.FILE_INFO).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> client.analyze(samples.sample("MZ a program", "setup.exe", null),
                CortexAnalyzer.CUCKOO_SANDBOX).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "cortex")).isEqualTo(2);
        assertThat(scraped.value("peekaboo_cortex_errors_total")).isEqualTo(1);
    }
}
