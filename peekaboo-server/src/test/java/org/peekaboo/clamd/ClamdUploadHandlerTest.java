package org.peekaboo.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.listener.ConnectionContext;

/** {@link ClamdUploadHandler} with an executor the test runs step by step, as a slow disk would. */
class ClamdUploadHandlerTest {
    private static final ClamdInput.Command INSTREAM = new ClamdInput.Command("INSTREAM", Terminator.NUL);

    @TempDir
    Path temp;
    private Path spoolDir;
    /** Tasks handed to the "blocking" executor, run by the test; newest first to catch any reliance on FIFO. */
    private final Deque<Runnable> disk = new ArrayDeque<>();
    private final List<Object> passedOn = new ArrayList<>();
    private final List<ByteBuf> sent = new ArrayList<>();
    private EmbeddedChannel channel;
    private ReadGate gate;

    @BeforeEach
    void setUp() throws IOException {
        spoolDir = Files.createDirectory(temp.resolve("spool"));
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void connect(Path spoolDirectory) {
        Executor executor = disk::push;
        channel = new EmbeddedChannel();
        gate = new ReadGate(channel);
        channel.pipeline().addLast(new ClamdUploadHandler(StreamSpool.in(spoolDirectory), executor, gate,
                new ConnectionContext(1, "test")), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        passedOn.add(msg);
                    }
                });
    }

    private void send(Object message) {
        if (message instanceof ByteBuf data) {
            sent.add(data);
        }
        channel.writeInbound(message);
        channel.runPendingTasks();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /** Runs what waits for the disk, newest first, and the continuations on the event loop. */
    private void runDisk() {
        while (!disk.isEmpty()) {
            disk.pop().run();
            channel.runPendingTasks();
        }
    }

    private Path received() {
        assertThat(passedOn.getLast()).isInstanceOf(ClamdInput.StreamReceived.class);
        return ((ClamdInput.StreamReceived) passedOn.getLast()).file().toCompletableFuture().join();
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.toList();
        }
    }

    @Test
    void chunksReachTheFileInOrderAndAreReleasedOnceWritten() throws IOException {
        connect(spoolDir);
        send(INSTREAM);
        send(bytes("one "));
        send(bytes("two "));
        send(bytes("three"));
        send(new ClamdInput.StreamEnd());
        assertThat(sent).as("nothing written before the disk ran").allSatisfy(data -> assertThat(data.refCnt())
                .isEqualTo(1));
        assertThat(passedOn).hasSize(2).first().isEqualTo(INSTREAM);
        assertThat(((ClamdInput.StreamReceived) passedOn.get(1)).file().toCompletableFuture()).isNotDone();

        runDisk();

        assertThat(Files.readString(received())).isEqualTo("one two three");
        assertThat(sent).allSatisfy(data -> assertThat(data.refCnt()).isZero());
    }

    @Test
    void readingPausesWhileMoreThanTheLimitWaitsForTheDiskAndResumesWhenItDrains() throws IOException {
        connect(spoolDir);
        int half = (int) (ClamdUploadHandler.MAX_UNWRITTEN / 2);
        send(INSTREAM);
        disk.pop().run(); // the file is created
        send(Unpooled.wrappedBuffer(new byte[half]));
        send(Unpooled.wrappedBuffer(new byte[half]));
        assertThat(channel.config().isAutoRead()).as("exactly the limit waits").isTrue();
        send(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(channel.config().isAutoRead()).isFalse();

        disk.removeLast().run(); // the first chunk is written: half + 1 still wait
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        disk.removeLast().run();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).as("down to half of the limit").isTrue();

        send(new ClamdInput.StreamEnd());
        runDisk();
        assertThat(Files.size(received())).isEqualTo(2L * half + 1);
        assertThat(sent).allSatisfy(data -> assertThat(data.refCnt()).isZero());
    }

    @Test
    void theBacklogDoesNotResumeReadingPausedForOutstandingReplies() {
        connect(spoolDir);
        send(INSTREAM);
        send(Unpooled.wrappedBuffer(new byte[(int) ClamdUploadHandler.MAX_UNWRITTEN + 1]));
        gate.hold(ReadGate.Reason.OUTSTANDING_REPLIES);
        runDisk();
        assertThat(channel.config().isAutoRead()).isFalse();
        gate.release(ReadGate.Reason.OUTSTANDING_REPLIES);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aFailingSpoolReleasesEveryChunkAndTheStreamEndsWithTheFailure() {
        connect(temp.resolve("missing")); // creating the file fails, so every write after it is given up
        send(INSTREAM);
        send(bytes("one"));
        send(bytes("two"));
        send(new ClamdInput.StreamEnd());
        runDisk();

        assertThat(sent).allSatisfy(data -> assertThat(data.refCnt()).isZero());
        assertThatThrownBy(this::received).isInstanceOf(CompletionException.class)
                .hasRootCauseInstanceOf(IOException.class);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aStreamCutOffByTheClientIsDeletedAfterTheWritesAlreadyStartedAndNotPassedOn() throws IOException {
        connect(spoolDir);
        send(INSTREAM);
        send(bytes("one"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        send(bytes("late"));
        send(new ClamdInput.StreamEnd());
        runDisk();

        assertThat(passedOn).containsExactly(INSTREAM);
        assertThat(sent).allSatisfy(data -> assertThat(data.refCnt()).isZero());
        assertThat(spooled()).isEmpty();
        assertThat(sent.getFirst().readerIndex()).as("a dropped stream's queued chunk is not written").isZero();
    }

    @Test
    void aStreamBeyondTheLimitAndAClosedConnectionDropTheFile() throws IOException {
        connect(spoolDir);
        send(INSTREAM);
        send(bytes("one"));
        send(new ClamdInput.StreamTooLong());
        runDisk();
        assertThat(passedOn).containsExactly(INSTREAM, new ClamdInput.StreamTooLong());
        assertThat(spooled()).isEmpty();

        send(INSTREAM);
        send(bytes("two"));
        channel.close();
        channel.runPendingTasks();
        runDisk();
        assertThat(spooled()).isEmpty();
        assertThat(sent).allSatisfy(data -> assertThat(data.refCnt()).isZero());
    }

    @Test
    void dataWithoutAStreamIsReleasedAndCommandsPassUnchanged() {
        connect(spoolDir);
        ClamdInput.Command ping = new ClamdInput.Command("PING", Terminator.NEWLINE);
        ClamdInput.Command legacy = new ClamdInput.Command("INSTREAM", Terminator.LEGACY);
        send(ping);
        send(legacy);
        send(bytes("stray"));
        assertThat(passedOn).containsExactly(ping, legacy);
        assertThat(disk).as("no file for an INSTREAM without prefix").isEmpty();
        assertThat(sent).allSatisfy(data -> assertThat(data.refCnt()).isZero());
    }
}
