package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.lineprotocol.testing.FakeScanService;
import org.peekaboo.metrics.FrontEnd;
import org.peekaboo.metrics.PeekabooMetrics;
import org.peekaboo.metrics.testing.Exposition;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/** Line-protocol conversations on embedded channels, the engine they reach counting their requests as the daemon wires it. */
class LineProtocolRequestMetricsTest {
    private final FakeScanService engine = new FakeScanService().withDefaultVerdict(
            FakeScanService.verdict(RuleResult.stop("final_rule", Result.UNKNOWN, "File has not been classified")));
    private final PeekabooMetrics metrics = new PeekabooMetrics("test");

    @Test
    void everyScanRequestCountsOnceAndARequestRefusedBeforeTheEngineNotAtAll() {
        for (int i = 0; i < 3; i++) {
            try (EmbeddedConversation conversation = connect()) {
                conversation.send(ProtocolLines.scanRequest(List.of(SampleDeclaration.ofPath("/tmp/p00" + i),
                        SampleDeclaration.ofPath("/tmp/q00" + i))) + "\n");
                assertThat(conversation.reply()).last().isEqualTo("");
            }
        }
        try (EmbeddedConversation malformed = connect()) {
            malformed.send("this is no request\n");
        }

        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(engine.requests()).hasSize(3);
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "line")).isEqualTo(3);
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "clamd")).isZero();
    }

    private EmbeddedConversation connect() {
        return new EmbeddedConversation(ProtocolSettings.defaults(),
                metrics.countingRequests(engine, FrontEnd.LINE_PROTOCOL));
    }
}
