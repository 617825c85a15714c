package org.peekaboo.lineprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.status.StatusSource;

/**
 * One line-protocol connection on an {@link EmbeddedChannel}: the full pipeline, a frozen
 * clock the test advances, and the client's view of what the server wrote.
 */
final class EmbeddedConversation implements AutoCloseable {
    final EmbeddedChannel channel;
    private final List<ByteBuf> sent = new ArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    EmbeddedConversation(ProtocolSettings settings, ScanService scanService) {
        this(settings, scanService, LineProtocol.WITHOUT_STATUS);
    }

    EmbeddedConversation(ProtocolSettings settings, ScanService scanService, StatusSource status) {
        channel = new EmbeddedChannel(new ProtocolChannelInitializer(settings, scanService, status));
        channel.freezeTime();
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
        sent.add(buffer);
        channel.writeInbound(buffer);
        channel.runPendingTasks();
    }

    /** Lets continuations queued by the engine's futures run on the event loop. */
    void runPendingTasks() {
        channel.runPendingTasks();
    }

    void advance(Duration duration) {
        channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** Every complete line the server has written so far. */
    List<String> lines() {
        for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
            try {
                byte[] bytes = new byte[buffer.readableBytes()];
                buffer.readBytes(bytes);
                received.writeBytes(bytes);
            } finally {
                buffer.release();
            }
        }
        String text = received.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n", -1));
    }

    /** The lines after the greeting and its empty line. */
    List<String> reply() {
        List<String> lines = lines();
        return lines.subList(Math.min(2, lines.size()), lines.size());
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    boolean allInputReleased() {
        return sent.stream().allMatch(buffer -> buffer.refCnt() == 0);
    }

    @Override
    public void close() {
        lines();
        channel.finishAndReleaseAll();
    }
}
