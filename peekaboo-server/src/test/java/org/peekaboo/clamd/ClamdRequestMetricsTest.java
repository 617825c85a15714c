package org.peekaboo.clamd;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.config.ClamdSettings;
import org.peekaboo.lineprotocol.testing.FakeScanService;
import org.peekaboo.metrics.FrontEnd;
import org.peekaboo.metrics.PeekabooMetrics;
import org.peekaboo.metrics.testing.Exposition;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * clamd conversations on embedded channels, the engine they reach counting their requests as the
 * daemon wires it: a scan counts, a PING or VERSION does not reach the engine and does not count.
 */
class ClamdRequestMetricsTest {
    private static final ClamdSettings SETTINGS = ClamdSettings.off().withStreamMaxLength(1000)
            .withReplyDeadline(Duration.ofSeconds(4)).withCommandReadTimeout(Duration.ofSeconds(30));

    @TempDir
    Path temp;

    private final FakeScanService engine = new FakeScanService().withDefaultVerdict(
            FakeScanService.verdict(RuleResult.stop("final_rule", Result.UNKNOWN, "File has not been classified")));
    private final PeekabooMetrics metrics = new PeekabooMetrics("test");

    @Test
    void scansCountAndOtherCommandsDoNot() throws IOException {
        Path spool = Files.createDirectory(temp.resolve("spool"));
        byte[] content = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] stream = ByteBuffer.allocate(4 + content.length + 4).putInt(content.length).put(content).putInt(0)
                .array();

        assertThat(converse(spool, text("zPING\0"))).isEqualTo("PONG\0");
        assertThat(converse(spool, text("zVERSION\0"))).startsWith("ClamAV");
        assertThat(converse(spool, text("zINSTREAM\0"), stream)).isEqualTo("stream: OK\0");
        assertThat(converse(spool, text("nINSTREAM\n"), stream)).isEqualTo("stream: OK\n");

        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(engine.requests()).hasSize(2);
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "clamd")).isEqualTo(2);
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "line")).isZero();
    }

    /** One connection: sends {@code parts}, returns everything the server wrote. */
    private String converse(Path spool, byte[]... parts) {
        ClamdService service = new ClamdService(SETTINGS,
                new ClamdReplies(SETTINGS.listenProfile(), "2.0.0", Instant.parse("2026-12-05T09:24:31Z")),
                metrics.countingRequests(engine, FrontEnd.CLAMD), AllowedDirectories.of(List.of(spool)),
                StreamSpool.in(spool), Runnable::run, new ClamdStats());
        EmbeddedChannel channel = new EmbeddedChannel(new ClamdChannelInitializer(service));
        channel.freezeTime();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            for (byte[] part : parts) {
                channel.writeInbound(Unpooled.wrappedBuffer(part));
                channel.runPendingTasks();
            }
            channel.runPendingTasks();
            for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
                byte[] bytes = new byte[buffer.readableBytes()];
                buffer.readBytes(bytes);
                buffer.release();
                received.writeBytes(bytes);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
