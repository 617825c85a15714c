package org.peekaboo.clamd;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.testing.ContentScanService;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.config.ClamdSettings;
import org.peekaboo.listener.ReceivedDescriptor;

/** Every command and framing error of the clamd front end on an {@link EmbeddedChannel}. */
class ClamdConversationTest {
    private static final byte[] EVIL = ContentScanService.EVIL.getBytes(StandardCharsets.US_ASCII);
    private static final ClamdSettings SETTINGS = ClamdSettings.off().withStreamMaxLength(1000)
            .withReplyDeadline(Duration.ofSeconds(4)).withCommandReadTimeout(Duration.ofSeconds(30));

    @TempDir
    Path temp;
    private Path allowedDir;
    private Path spoolDir;
    private ContentScanService engine;
    private EmbeddedChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        allowedDir = Files.createDirectory(temp.resolve("allowed"));
        spoolDir = Files.createDirectory(temp.resolve("spool"));
        engine = new ContentScanService();
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void connect(ClamdSettings settings) {
        ClamdService service = new ClamdService(settings,
                new ClamdReplies(settings.listenProfile(), "2.0.0", Instant.parse("2026-12-05T09:24:31Z")), engine,
                AllowedDirectories.of(List.of(allowedDir, spoolDir)), StreamSpool.in(spoolDir), Runnable::run,
                new ClamdStats());
        channel = new EmbeddedChannel(new ClamdChannelInitializer(service));
        channel.freezeTime();
    }

    private void send(byte[]... parts) {
        if (channel == null) {
            connect(SETTINGS);
        }
        for (byte[] part : parts) {
            channel.writeInbound(Unpooled.wrappedBuffer(part));
            channel.runPendingTasks();
        }
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] chunk(byte[] data) {
        return ByteBuffer.allocate(4 + data.length).putInt(data.length).put(data).array();
    }

    private static byte[] length(long announced) {
        return ByteBuffer.allocate(4).putInt((int) announced).array();
    }

    private String reply() {
        channel.runPendingTasks();
        for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            buffer.release();
            received.writeBytes(bytes);
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    private void halfClose() {
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();
    }

    private void advance(Duration duration) {
        channel.advanceTimeBy(duration.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.toList();
        }
    }

    @Test
    void pingInEveryFormEndsWithItsTerminatorAndCloses() {
        send(text("zPING\0"));
        assertThat(reply()).isEqualTo("PONG\0");
        assertThat(channel.isOpen()).isFalse();

        channel = null;
        received.reset();
        send(text("nPING\n"));
        assertThat(reply()).isEqualTo("PONG\n");

        channel = null;
        received.reset();
        send(text("PING"));
        assertThat(reply()).as("old style: the first packet is the command").isEqualTo("PONG\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSecondCommandWithoutSessionIsNotAnswered() {
        send(text("nPING\nnPING\n"));
        assertThat(reply()).isEqualTo("PONG\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void unknownCommandsAndTrailingGarbageAreRefusedAndClose() {
        send(text("nPINGX\n"));
        assertThat(reply()).isEqualTo("UNKNOWN COMMAND\n");
        assertThat(channel.isOpen()).isFalse();

        channel = null;
        received.reset();
        send(text("zEND\0"));
        assertThat(reply()).as("END without a session").isEqualTo("UNKNOWN COMMAND\0");

        channel = null;
        received.reset();
        send(text("nSCAN\n"));
        assertThat(reply()).as("SCAN without its argument").isEqualTo("UNKNOWN COMMAND\n");
    }

    @Test
    void commandsThatMustBePrefixedAreUnknownInTheOldForm() {
        send(text("VERSIONCOMMANDS\n"));
        assertThat(reply()).isEqualTo("UNKNOWN COMMAND\n");
        channel = null;
        received.reset();
        send(text("INSTREAM\n"));
        assertThat(reply()).isEqualTo("UNKNOWN COMMAND\n");
    }

    @Test
    void versionHasClamdsShape() {
        send(text("nVERSION\n"));
        assertThat(reply()).isEqualTo("ClamAV Peekaboo-2.0.0/1/Sat Dec  5 09:24:31 2026\n");
    }

    @Test
    void versionCommandsListsTheCommandTable() {
        send(text("zVERSIONCOMMANDS\0"));
        assertThat(reply()).isEqualTo("ClamAV Peekaboo-2.0.0/1/Sat Dec  5 09:24:31 2026| COMMANDS: SCAN QUIT RELOAD"
                + " PING CONTSCAN VERSIONCOMMANDS VERSION END SHUTDOWN MULTISCAN FILDES STATS IDSESSION INSTREAM"
                + " DETSTATSCLEAR DETSTATS ALLMATCHSCAN\0");
    }

    @Test
    void statsIsAClamdBlockEndingWithEnd() {
        send(text("zSTATS\0"));
        String reply = reply();
        assertThat(reply).startsWith("POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live ").contains("\nQUEUE: 0 items\n\n")
                .contains("\nMEMSTATS: heap ").endsWith("\nEND\0");
    }

    @Test
    void reloadAndShutdownAreUnavailableAndDetstatsSaysNothing() {
        send(text("zRELOAD\0"));
        assertThat(reply()).isEqualTo("COMMAND UNAVAILABLE\0");
        channel = null;
        received.reset();
        send(text("nSHUTDOWN\n"));
        assertThat(reply()).isEqualTo("COMMAND UNAVAILABLE\n");
        channel = null;
        received.reset();
        send(text("zDETSTATS\0"));
        assertThat(reply()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void fildesWithoutADescriptorIsClamdsError() {
        send(text("nFILDES\n"));
        assertThat(reply()).as("waits for the byte that carries the descriptor").isEmpty();
        send(text("X"));
        assertThat(reply()).isEqualTo("No file descriptor received. ERROR\n");
    }

    private ReceivedDescriptor descriptorOf(Path file) throws IOException {
        return ReceivedDescriptor.of(new FileInputStream(file.toFile()).getFD());
    }

    /** Writes what one read of the socket brings: the descriptor first, as the transport fires it. */
    private void sendWith(ReceivedDescriptor descriptor, byte[] bytes) {
        if (channel == null) {
            connect(SETTINGS);
        }
        channel.writeInbound(descriptor, Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
    }

    @Test
    void fildesJudgesThePassedFileAsFdNAndClosesTheDescriptor() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("passed"), EVIL));
        send(text("zFILDES\0"));
        sendWith(descriptor, text("\0"));
        assertThat(reply()).isEqualTo("fd[" + descriptor.number() + "]: Peekaboo.evil_rule FOUND\0");
        assertThat(engine.contents).containsExactly(new String(EVIL, StandardCharsets.ISO_8859_1));
        assertThat(descriptor.refCnt()).as("closed").isZero();
        assertThat(spooled()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aDescriptorArrivingWithItsCommandInOneReadIsTaken() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("passed"), text("clean")));
        sendWith(descriptor, text("nFILDES\n\0"));
        assertThat(reply()).isEqualTo("fd[" + descriptor.number() + "]: OK\n");
        assertThat(descriptor.refCnt()).isZero();
    }

    @Test
    void anUnlinkedFileIsReadFromItsStartWhateverTheOffset() throws IOException {
        Path file = Files.write(temp.resolve("unlinked"), text("EVIL-MARKER and then some"));
        FileInputStream open = new FileInputStream(file.toFile());
        open.getChannel().position(15);
        Files.delete(file);
        ReceivedDescriptor descriptor = ReceivedDescriptor.of(open.getFD());
        sendWith(descriptor, text("zFILDES\0x"));
        assertThat(reply()).endsWith(": Peekaboo.evil_rule FOUND\0");
        assertThat(engine.contents).containsExactly("EVIL-MARKER and then some");
    }

    @Test
    void aPassedFileBeyondTheLimitIsUndecidedAndNeverJudged() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("big"), new byte[1001]));
        sendWith(descriptor, text("zFILDES\0x"));
        assertThat(reply()).isEqualTo("fd[" + descriptor.number() + "]: Peekaboo has no verdict yet (larger than"
                + " stream_max_length of 1000 bytes), try again later. ERROR\0");
        assertThat(engine.contents).isEmpty();
        assertThat(descriptor.refCnt()).isZero();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aDescriptorOfSomethingOtherThanARegularFileIsClamdsError() throws IOException {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
            ReceivedDescriptor descriptor = ReceivedDescriptor.of(pair.getSocket1().getFileDescriptor());
            sendWith(descriptor, text("zFILDES\0x"));
            assertThat(reply()).isEqualTo("fd[" + descriptor.number() + "]: Not a regular file ERROR\0");
            assertThat(descriptor.refCnt()).isZero();
        }
        assertThat(engine.contents).isEmpty();
    }

    @Test
    void aDescriptorWithoutFildesInASessionIsClamdsNumberedProtocolError() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("stray"), text("clean")));
        send(text("zIDSESSION\0zPING\0"));
        sendWith(descriptor, text("zPING\0"));
        assertThat(reply()).isEqualTo("1: PONG\0" + "2: PONG\0"
                + "3: PROTOCOL ERROR: ancillary data sent without FILDES. ERROR\0");
        assertThat(descriptor.refCnt()).as("closed").isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aDescriptorBeforeTheByteAfterFildesIsNotTaken() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("early"), text("clean")));
        sendWith(descriptor, text("nFILDES\n"));
        assertThat(reply()).isEqualTo("PROTOCOL ERROR: ancillary data sent without FILDES. ERROR\0"
                + "Error processing command. ERROR\0");
        assertThat(descriptor.refCnt()).isZero();
        assertThat(engine.contents).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void fildesInsideASessionCarriesItsNumber() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("session"), text("clean")));
        send(text("zIDSESSION\0zPING\0zFILDES\0"));
        sendWith(descriptor, text("\0zPING\0zEND\0"));
        assertThat(reply()).isEqualTo("1: PONG\0" + "2: fd[" + descriptor.number() + "]: OK\0" + "3: PONG\0");
        assertThat(descriptor.refCnt()).isZero();
    }

    @Test
    void aDescriptorWithTheOneCommandOfAConnectionIsClosedAndTheCommandAnswered() throws IOException {
        ReceivedDescriptor descriptor = descriptorOf(Files.write(temp.resolve("late"), text("clean")));
        sendWith(descriptor, text("zPING\0zFILDES\0x"));
        assertThat(reply()).isEqualTo("PONG\0");
        assertThat(descriptor.refCnt()).isZero();
        assertThat(engine.contents).isEmpty();
    }

    @Test
    void instreamInManySmallPiecesIsJudgedAsOneFileAndTheSpoolIsEmptied() throws IOException {
        byte[] stream = new byte[4 + 5 + 4 + 3 + 4];
        ByteBuffer.wrap(stream).put(chunk(text("hello"))).put(chunk(text("abc"))).putInt(0);
        send(text("zINSTREAM\0"));
        for (byte b : stream) {
            send(new byte[] {b});
        }
        assertThat(reply()).isEqualTo("stream: OK\0");
        assertThat(engine.contents).containsExactly("helloabc");
        assertThat(spooled()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void instreamWithTheMarkerIsFound() {
        byte[] half1 = java.util.Arrays.copyOfRange(EVIL, 0, 4);
        byte[] half2 = java.util.Arrays.copyOfRange(EVIL, 4, EVIL.length);
        send(text("nINSTREAM\n"), chunk(half1), chunk(half2), length(0));
        assertThat(reply()).isEqualTo("stream: Peekaboo.evil_rule FOUND\n");
    }

    @Test
    void aChunkBeyondTheLimitGetsClamdsExactErrorAndCloses() throws IOException {
        send(text("zINSTREAM\0"), chunk(new byte[600]), length(401));
        assertThat(reply()).isEqualTo("INSTREAM size limit exceeded. ERROR\0");
        assertThat(channel.isOpen()).isFalse();
        assertThat(spooled()).isEmpty();
        assertThat(engine.contents).isEmpty();
    }

    @Test
    void aStreamThatCannotBeSpooledIsClamdsWriteErrorAndNeverJudged() throws IOException {
        Files.delete(spoolDir);
        send(text("zINSTREAM\0"), chunk(EVIL), length(0));
        assertThat(reply()).isEqualTo("Error writing to temporary file ERROR\0");
        assertThat(engine.contents).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHugeAnnouncedLengthIsRefusedBeforeAnythingIsRead() {
        send(text("nINSTREAM\n"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThat(reply()).isEqualTo("INSTREAM size limit exceeded. ERROR\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void exactlyTheLimitIsAccepted() {
        send(text("zINSTREAM\0"), chunk(new byte[1000]), length(0));
        assertThat(reply()).isEqualTo("stream: OK\0");
    }

    @Test
    void halfCloseInTheMiddleOfAStreamClosesWithoutAnswerAndDropsTheData() throws IOException {
        send(text("zINSTREAM\0"), chunk(text("abc")), length(10), text("12"));
        halfClose();
        assertThat(reply()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(spooled()).isEmpty();
        assertThat(engine.contents).isEmpty();
    }

    @Test
    void aCommandWithoutTerminatorBeyondTheLongestClosesWithoutAnswer() {
        send(text("z" + "A".repeat(ClamdFramer.MAX_COMMAND_LENGTH + 10)));
        assertThat(reply()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aPrefixedCommandCutOffByHalfCloseIsNotAnswered() {
        send(text("zPIN"));
        halfClose();
        assertThat(reply()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void silenceBeyondTheCommandReadTimeoutIsClamdsTimeout() {
        connect(SETTINGS);
        advance(Duration.ofSeconds(31));
        assertThat(reply()).isEqualTo("COMMAND READ TIMED OUT\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSessionAnswersPipelinedRequestsInOrderWithTheirNumbers() {
        send(text("zIDSESSION\0zPING\0zINSTREAM\0"), chunk(EVIL), length(0),
                text("zVERSION\0zINSTREAM\0"), chunk(text("fine")), length(0), text("zEND\0"));
        assertThat(reply()).isEqualTo("1: PONG\0" + "2: stream: Peekaboo.evil_rule FOUND\0"
                + "3: ClamAV Peekaboo-2.0.0/1/Sat Dec  5 09:24:31 2026\0" + "4: stream: OK\0");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSessionWaitsForASlowVerdictBeforeLaterReplies() {
        engine.hold = true;
        send(text("nIDSESSION\nnINSTREAM\n"), chunk(text("slow")), length(0), text("nPING\n"));
        assertThat(reply()).isEmpty();
        engine.releaseAll();
        assertThat(reply()).isEqualTo("1: stream: OK\n2: PONG\n");
        assertThat(channel.isOpen()).as("the session goes on until END").isTrue();
        send(text("nEND\n"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSessionWithTooManyOutstandingRepliesIsReadNoFurtherUntilTheyAreOut() {
        engine.hold = true;
        send(text("zIDSESSION\0"));
        for (int i = 0; i < ClamdSessionHandler.MAX_OUTSTANDING; i++) {
            assertThat(channel.config().isAutoRead()).as("request %d", i).isTrue();
            send(text("zINSTREAM\0"), chunk(text("slow " + i)), length(0));
        }
        assertThat(channel.config().isAutoRead()).isFalse();
        engine.releaseAll();
        assertThat(reply()).startsWith("1: stream: OK\0").endsWith(ClamdSessionHandler.MAX_OUTSTANDING + ": stream: OK\0");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aRefusedConnectionHearsAnErrorLine() {
        ByteBuf message = new ClamdRefusal().message(io.netty.buffer.ByteBufAllocator.DEFAULT,
                "Too many connections\nfrom you");
        try {
            assertThat(message.toString(StandardCharsets.UTF_8)).isEqualTo("Too many connections from you ERROR\0");
        } finally {
            message.release();
        }
    }

    @Test
    void commandsClamdRefusesInsideASessionEndIt() {
        for (String refused : List.of("CONTSCAN /tmp", "MULTISCAN /tmp", "ALLMATCHSCAN /tmp", "RELOAD", "SHUTDOWN",
                "IDSESSION")) {
            channel = null;
            received.reset();
            send(text("zIDSESSION\0zPING\0z" + refused + "\0zPING\0"));
            assertThat(reply()).as(refused).isEqualTo("1: PONG\0" + "2: Command invalid inside IDSESSION. ERROR\0");
            assertThat(channel.isOpen()).as(refused).isFalse();
        }
    }

    @Test
    void anOldStyleCommandInsideASessionIsNeitherAnsweredNorReadOn() {
        send(text("zIDSESSION\0zPING\0PING\nzPING\0"));
        assertThat(reply()).isEqualTo("1: PONG\0");
        halfClose();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theLimitInsideASessionCarriesTheNumber() {
        send(text("zIDSESSION\0zPING\0zINSTREAM\0"), length(5000));
        assertThat(reply()).isEqualTo("1: PONG\0" + "2: INSTREAM size limit exceeded. ERROR\0");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anUndecidedStreamIsAnErrorAtTheDeadlineWhileTheAnalysisGoesOn() throws IOException {
        engine.hold = true;
        send(text("zINSTREAM\0"), chunk(text("slow")), length(0));
        advance(Duration.ofSeconds(3));
        assertThat(reply()).isEmpty();
        advance(Duration.ofSeconds(1));
        // The deadline's reason would make the line longer than clamav-milter reads: it is left out.
        assertThat(reply()).isEqualTo("stream: Peekaboo has no verdict yet, try again later. ERROR\0");
        assertThat(channel.isOpen()).isFalse();
        assertThat(spooled()).as("still being read by the analysis").hasSize(1);
        engine.releaseAll();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void theRspamdProfileAnswersUndecidedWithTheLimitsHeuristic() {
        connect(SETTINGS.withProfile(ClamdProfile.RSPAMD));
        engine.hold = true;
        send(text("zINSTREAM\0"), chunk(text("slow")), length(0));
        advance(Duration.ofSeconds(4));
        assertThat(reply()).isEqualTo("stream: Heuristics.Limits.Exceeded.Peekaboo.Unchecked FOUND\0");
    }

    @Test
    void aFailedEngineIsNeverOk() {
        engine.failure = new IllegalStateException("boom");
        send(text("zINSTREAM\0"), chunk(text("x")), length(0));
        assertThat(reply()).startsWith("stream: Peekaboo has no verdict yet").endsWith(" ERROR\0");
    }

    @Test
    void scanOfADirectoryReportsEveryFoundFileAndStopsAtTheFirstForScan() throws IOException {
        Path dir = Files.createDirectories(allowedDir.resolve("parts/sub"));
        Files.write(allowedDir.resolve("parts/a-clean"), text("clean"));
        Files.write(allowedDir.resolve("parts/b-evil"), EVIL);
        Files.write(dir.resolve("c-evil"), EVIL);
        String parts = allowedDir.resolve("parts").toString();

        send(text("nCONTSCAN " + parts + "\n"));
        assertThat(reply()).isEqualTo(parts + "/b-evil: Peekaboo.evil_rule FOUND\n"
                + parts + "/sub/c-evil: Peekaboo.evil_rule FOUND\n");

        channel = null;
        received.reset();
        send(text("zSCAN " + parts + "\0"));
        assertThat(reply()).isEqualTo(parts + "/b-evil: Peekaboo.evil_rule FOUND\0");
    }

    @Test
    void aCleanDirectoryAndACleanFileAreOk() throws IOException {
        Files.write(allowedDir.resolve("one"), text("clean"));
        send(text("nMULTISCAN " + allowedDir + "\n"));
        assertThat(reply()).isEqualTo(allowedDir + ": OK\n");
        channel = null;
        received.reset();
        send(text("nALLMATCHSCAN " + allowedDir.resolve("one") + "\n"));
        assertThat(reply()).isEqualTo(allowedDir.resolve("one") + ": OK\n");
    }

    @Test
    void pathsOutsideTheAllowedDirectoriesAreDeniedAlike() throws IOException {
        Path outside = Files.write(temp.resolve("secret"), EVIL);
        for (String path : List.of(outside.toString(), temp.toString(), "/nonexistent/x", "relative")) {
            channel = null;
            received.reset();
            send(text("zSCAN " + path + "\0"));
            assertThat(reply()).as(path).isEqualTo(path + ": Access denied. ERROR\0");
        }
        assertThat(engine.contents).isEmpty();
    }

    @Test
    void linksInADirectoryAreNotFollowedAsClamdDoesNotByDefault() throws IOException {
        Path outside = Files.write(temp.resolve("secret"), EVIL);
        Files.write(allowedDir.resolve("clean"), text("clean"));
        Files.createSymbolicLink(allowedDir.resolve("link"), outside);
        send(text("nCONTSCAN " + allowedDir + "\n"));
        assertThat(reply()).isEqualTo(allowedDir + ": OK\n");
        assertThat(engine.contents).containsExactly("clean");
    }

    @Test
    void aLinkNamedDirectlyThatPointsOutIsDenied() throws IOException {
        Path outside = Files.write(temp.resolve("secret"), EVIL);
        Files.createSymbolicLink(allowedDir.resolve("link"), outside);
        send(text("nSCAN " + allowedDir.resolve("link") + "\n"));
        assertThat(reply()).isEqualTo(allowedDir.resolve("link") + ": Access denied. ERROR\n");
        assertThat(engine.contents).isEmpty();
    }
}
