package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.lineprotocol.testing.FakeScanService;
import org.peekaboo.listener.ShutdownNotice;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.status.DaemonStatus;
import org.peekaboo.status.StatusJson;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The whole conversation of one connection, on an embedded channel with a frozen clock. */
class ScanRequestHandlerTest {
    private static final String P1 = "/var/amavis/tmp/amavis-1/parts/p001";
    private static final String P2 = "/var/amavis/tmp/amavis-1/parts/p002";
    private static final String SHA1 = FakeScanService.sha256Hex(P1);
    private static final String SHA2 = FakeScanService.sha256Hex(P2);
    private static final SampleVerdict BAD = FakeScanService.verdict(
            RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"),
            RuleResult.stop("contains_peekabooyar", Result.BAD, "The file contains PeekabooYar"));
    private static final SampleVerdict UNKNOWN = FakeScanService.verdict(
            RuleResult.stop("final_rule", Result.UNKNOWN, "File has not been classified"));
    private static final SampleVerdict IGNORED = FakeScanService.verdict(
            RuleResult.stop("file_larger_than", Result.IGNORED, "File is only 3 bytes long"));
    private static final SampleVerdict FAILED = FakeScanService.verdict(
            RuleResult.stop("cortex", Result.FAILED, "Cortex analysis failed"));
    /** A text attachment through the shipped ruleset: four rule lines, about 660 bytes per file. */
    private static final SampleVerdict WHITELISTED = FakeScanService.verdict(
            RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"),
            RuleResult.proceed("contains_peekabooyar", Result.UNKNOWN, "The file does not contain PeekabooYar"),
            RuleResult.proceed("file_larger_than", Result.UNKNOWN, "File has more than 5 bytes"),
            RuleResult.stop("file_type_on_whitelist", Result.IGNORED, "File type is on whitelist"));
    private static final String FINAL_GOOD = "The file collection has been categorized \"good\"";
    private static final String FINAL_BAD = "The file collection has been categorized \"bad\"";
    private static final String FINAL_UNCHECKED = "The file collection has been categorized \"unchecked\"";

    private final ProtocolSettings settings = ProtocolSettings.defaults();
    private final FakeScanService engine = new FakeScanService().withDefaultVerdict(UNKNOWN);
    private EmbeddedConversation conversation;

    @AfterEach
    void releaseEverything() {
        if (conversation != null) {
            conversation.close();
            assertThat(conversation.allInputReleased()).as("every inbound buffer released").isTrue();
        }
    }

    private EmbeddedConversation connect() {
        conversation = new EmbeddedConversation(settings, engine);
        return conversation;
    }

    private EmbeddedConversation connect(ProtocolSettings custom) {
        conversation = new EmbeddedConversation(custom, engine);
        return conversation;
    }

    @Test
    void greetsOnConnect() {
        connect();

        assertThat(conversation.lines()).containsExactly("Hello, this is Peekaboo.", "");
        assertThat(conversation.isOpen()).isTrue();
    }

    @Test
    void reportsEachFileInRequestOrderThenTheCollection() {
        engine.withVerdict(P1, BAD).withVerdict(P2, IGNORED);
        connect().send("[{\"full_name\": \"" + P1 + "\", \"name_declared\": \"invoice.doc\"},"
                + " {\"full_name\": \"" + P2 + "\"}]\n");

        assertThat(conversation.reply()).containsExactly(
                "File \"p001\" sha256 " + SHA1 + " declared \"invoice.doc\" is being analyzed",
                "File \"p001\": rule \"known\" result \"unknown\" (continue): File is not yet known to the system",
                "File \"p001\": rule \"contains_peekabooyar\" result \"bad\" (stop): The file contains PeekabooYar",
                "File \"p001\" verdict \"bad\" (result \"bad\" by rule \"contains_peekabooyar\"): "
                        + "The file contains PeekabooYar",
                "File \"p002\" sha256 " + SHA2 + " is being analyzed",
                "File \"p002\": rule \"file_larger_than\" result \"ignored\" (stop): File is only 3 bytes long",
                "File \"p002\" verdict \"good\" (result \"ignored\" by rule \"file_larger_than\"): "
                        + "File is only 3 bytes long",
                FINAL_BAD,
                "");
        assertThat(conversation.isOpen()).isFalse();
        assertThat(engine.requests()).containsExactly(List.of(
                new SampleDeclaration(P1, "invoice.doc", null, null), SampleDeclaration.ofPath(P2)));
    }

    @Test
    void collectionIsGoodWhenEveryFileIsGood() {
        engine.withVerdict(P2, IGNORED);
        connect().send(request(P1, P2));

        assertThat(conversation.reply()).endsWith(FINAL_GOOD, "");
    }

    @Test
    void failedFileMakesTheCollectionUnchecked() {
        engine.withVerdict(P2, FAILED);
        connect().send(request(P1, P2));

        assertThat(conversation.reply()).contains(
                "File \"p002\" verdict \"unchecked\" (result \"failed\" by rule \"cortex\"): Cortex analysis failed")
                .endsWith(FINAL_UNCHECKED, "");
    }

    @Test
    void assemblesARequestSentInFragments() {
        connect();
        String line = request(P1);
        conversation.send(line.substring(0, 5));
        conversation.send(line.substring(5, 20));
        assertThat(conversation.reply()).isEmpty();

        conversation.send(line.substring(20));

        assertThat(conversation.reply()).endsWith(FINAL_GOOD, "");
    }

    @Test
    void servesARequestWithoutNewlineWhenTheClientHalfCloses() {
        connect().send("[{\"full_name\": \"" + P1 + "\"}]");
        conversation.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        conversation.runPendingTasks();

        assertThat(conversation.reply()).endsWith(FINAL_GOOD, "");
    }

    @Test
    void halfCloseWithoutRequestIsAnError() {
        connect().channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(conversation.reply()).containsExactly(
                "ERROR: No request received before the client closed its side of the connection",
                FINAL_UNCHECKED, "");
        assertThat(conversation.isOpen()).isFalse();
    }

    @Test
    void ignoresInputAfterTheRequest() {
        engine.holdingOutcomes();
        connect().send(request(P1) + "[{\"request\": \"ping\"}]\ngarbage\n" + "x".repeat(2000));
        engine.release(P1);
        conversation.runPendingTasks();

        assertThat(conversation.reply()).doesNotContain(ProtocolLines.PONG).endsWith(FINAL_GOOD, "")
                .noneMatch(line -> line.startsWith("ERROR"));
        assertThat(engine.requests()).hasSize(1);
    }

    @Test
    void refusesAnOversizeLineNamingTheLimit() {
        connect(settings.withMaxLineLength(1024)).send("[{\"full_name\": \"/" + "a".repeat(2000));

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Request line longer than the limit of 1024 bytes (max_line_length)", FINAL_UNCHECKED, "");
        assertThat(conversation.isOpen()).isFalse();
        assertThat(engine.requests()).isEmpty();
    }

    @Test
    void refusesGarbageOnOneLine() {
        connect().send(new byte[] {0x16, 0x03, 0x01, 0x0b, 0x00, 0x7f, 'x', '\n'});

        List<String> reply = conversation.reply();
        assertThat(reply).hasSize(3);
        assertThat(reply.get(0)).startsWith("ERROR: Invalid JSON in request: ").doesNotContainPattern("\\p{Cntrl}");
        assertThat(reply.subList(1, 3)).containsExactly(FINAL_UNCHECKED, "");
    }

    @Test
    void refusesInvalidUtf8() {
        connect().send(new byte[] {'[', (byte) 0xff, ']', '\n'});

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Request is not valid UTF-8: invalid byte sequence at offset 1", FINAL_UNCHECKED, "");
    }

    @Test
    void refusesAnEmptyRequest() {
        connect().send("\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Empty request; expected a JSON array of file objects", FINAL_UNCHECKED, "");
    }

    @Test
    void refusesAnEmptyArray() {
        connect().send("[]\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Invalid request structure: the array is empty; expected a JSON array of file objects",
                FINAL_UNCHECKED, "");
    }

    @Test
    void refusesSomethingOtherThanAnArray() {
        connect().send("{\"full_name\": \"" + P1 + "\"}\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Invalid request structure: expected a JSON array of file objects, got an object",
                FINAL_UNCHECKED, "");
    }

    @Test
    void refusesAFileWithoutFullName() {
        connect().send("[{\"full_name\": \"" + P1 + "\"}, {\"name_declared\": \"a.doc\"}]\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Incomplete request: element 2 has no \"full_name\"", FINAL_UNCHECKED, "");
        assertThat(engine.requests()).isEmpty();
    }

    @Test
    void refusesARelativePath() {
        connect().send("[{\"full_name\": \"parts/p001\"}]\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Invalid request: \"full_name\" of element 1 must be an absolute path, got \"parts/p001\"",
                FINAL_UNCHECKED, "");
    }

    @Test
    void refusesTooManyParts() {
        connect(settings.withMaxParts(2)).send(request(P1, P2, "/tmp/p3"));

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Too many parts: the request has 3 objects, the limit is 2 (max_parts)", FINAL_UNCHECKED, "");
    }

    @Test
    void refusesAnUnsupportedRequest() {
        connect().send("[{\"request\": \"scan-dir\", \"full_name\": \"/tmp\"}]\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Unsupported request \"scan-dir\"", FINAL_UNCHECKED, "");
    }

    @Test
    void answersPingWithPongAndCloses() {
        connect().send("[{\"request\": \"ping\"}]\n");

        assertThat(conversation.reply()).containsExactly("{\"request\": \"ping\", \"response\": \"pong\"}");
        assertThat(conversation.isOpen()).isFalse();
        assertThat(engine.requests()).isEmpty();
    }

    @Test
    void answersAStatusRequestWithOneJsonLineAndCloses() {
        DaemonStatus status = new DaemonStatus("2.1.0", "host1-4f2a", Instant.parse("2026-12-06T12:00:05Z"),
                Instant.parse("2026-12-06T12:00:00Z"), List.of(), new DaemonStatus.Database("H2", "jdbc:h2:/data/pkb",
                Optional.empty(), Optional.empty()), DaemonStatus.Cortex.NOT_CONFIGURED,
                new DaemonStatus.Engine(0, 0, 0, Duration.ZERO), Optional.empty());
        conversation = new EmbeddedConversation(settings, engine, () -> CompletableFuture.completedFuture(status));
        conversation.send(ProtocolLines.STATUS_REQUEST + "\n");

        assertThat(conversation.reply()).containsExactly(ProtocolLines.status(StatusJson.line(status)).text());
        assertThat(conversation.isOpen()).isFalse();
        assertThat(engine.requests()).isEmpty();
    }

    @Test
    void aStatusThatCannotBeGatheredIsAnError() {
        conversation = new EmbeddedConversation(settings, engine,
                () -> CompletableFuture.failedFuture(new IllegalStateException("no engine")));
        conversation.send(ProtocolLines.STATUS_REQUEST + "\n");

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Status not available: java.lang.IllegalStateException: no engine", FINAL_UNCHECKED, "");
        assertThat(conversation.isOpen()).isFalse();
    }

    @Test
    void answersPingsFirstThenTheFiles() {
        engine.withVerdict(P1, BAD);
        connect().send("[{\"full_name\": \"" + P1 + "\"}, {\"request\": \"ping\"}]\n");

        List<String> reply = conversation.reply();
        assertThat(reply.getFirst()).isEqualTo(ProtocolLines.PONG);
        assertThat(reply).containsOnlyOnce(ProtocolLines.PONG).endsWith(FINAL_BAD, "");
        assertThat(engine.requests()).containsExactly(List.of(SampleDeclaration.ofPath(P1)));
    }

    @Test
    void passesTheFirstNonEmptyDeclaredNameToTheEngine() {
        connect().send("[{\"full_name\": \"" + P1 + "\", \"name_declared\": [\"\", \"Rechnung.pdf\", \"x.pdf\"],"
                + " \"type_declared\": [\"application/pdf\"], \"x_unknown\": 1}]\n");

        assertThat(engine.requests()).containsExactly(List.of(
                new SampleDeclaration(P1, "Rechnung.pdf", "application/pdf", null)));
        assertThat(conversation.reply().getFirst()).isEqualTo(
                "File \"p001\" sha256 " + SHA1 + " declared \"Rechnung.pdf\" is being analyzed");
    }

    @Test
    void ignoresUnknownKeys() {
        connect().send("[{\"full_name\": \"" + P1 + "\", \"queue_id\": \"4XyZ\", \"nested\": {\"a\": [true]}}]\n");

        assertThat(conversation.reply()).endsWith(FINAL_GOOD, "");
        assertThat(engine.requests()).containsExactly(List.of(SampleDeclaration.ofPath(P1)));
    }

    @Test
    void keepsTheClientWaitingWithKeepAliveLines() {
        engine.holdingOutcomes();
        connect().send(request(P1));
        conversation.advance(Duration.ofSeconds(9));
        assertThat(conversation.reply()).isEmpty();

        conversation.advance(Duration.ofSeconds(1));
        assertThat(conversation.reply()).containsExactly("Files are being analyzed...");
        conversation.advance(Duration.ofSeconds(10));
        assertThat(conversation.reply()).containsExactly("Files are being analyzed...", "Files are being analyzed...");

        engine.release(P1);
        conversation.runPendingTasks();
        conversation.advance(Duration.ofSeconds(30));
        assertThat(conversation.reply()).containsOnlyOnce(FINAL_GOOD)
                .filteredOn("Files are being analyzed..."::equals).hasSize(2);
    }

    @Test
    void reportsFilesStillRunningAtTheDeadlineAsUnchecked() {
        engine.withVerdict(P1, BAD).holdingOutcomes();
        connect().send(request(P1, P2));
        engine.release(P2);
        conversation.runPendingTasks();
        conversation.advance(Duration.ofSeconds(59));
        assertThat(conversation.reply()).doesNotContain(FINAL_UNCHECKED);

        conversation.advance(Duration.ofSeconds(1));

        assertThat(conversation.reply()).filteredOn(line -> !line.equals(ProtocolLines.KEEP_ALIVE)).containsExactly(
                "File \"p001\" is being analyzed",
                "File \"p001\" verdict \"unchecked\" (result \"unchecked\" by rule \"deadline\"): "
                        + "Analysis is still running after 60 s; the result will be stored for the retry",
                "File \"p002\" sha256 " + SHA2 + " is being analyzed",
                "File \"p002\": rule \"final_rule\" result \"unknown\" (stop): File has not been classified",
                "File \"p002\" verdict \"good\" (result \"unknown\" by rule \"final_rule\"): File has not been classified",
                FINAL_UNCHECKED,
                "");
        assertThat(conversation.isOpen()).isFalse();
        assertThat(engine.isOpen(P1)).as("the analysis is left running").isTrue();

        int linesAtDeadline = conversation.lines().size();
        engine.release(P1);
        conversation.runPendingTasks();
        assertThat(conversation.lines()).hasSize(linesAtDeadline);
    }

    @Test
    void deadlineCoversAnEngineThatNeverStarted() {
        engine.holdingStart();
        connect(settings.withRequestDeadline(Duration.ofMillis(1500))).send(request(P1));

        conversation.advance(Duration.ofMillis(1500));

        assertThat(conversation.reply()).filteredOn(line -> !line.equals(ProtocolLines.KEEP_ALIVE)).containsExactly(
                "File \"p001\" is being analyzed",
                "File \"p001\" verdict \"unchecked\" (result \"unchecked\" by rule \"deadline\"): "
                        + "Analysis is still running after 1.5 s; the result will be stored for the retry",
                FINAL_UNCHECKED, "");
    }

    @Test
    void passesTheEnginesRejectionToTheClient() {
        engine.failingStartWith(new RejectedRequestException("/etc/passwd is outside the allowed directories"));
        connect().send(request("/etc/passwd"));
        conversation.runPendingTasks();

        assertThat(conversation.reply()).containsExactly(
                "ERROR: /etc/passwd is outside the allowed directories", FINAL_UNCHECKED, "");
        assertThat(conversation.isOpen()).isFalse();
    }

    @Test
    void hidesEngineFailuresBehindAnInternalError() {
        engine.failingStartWith(new IllegalStateException("database is on fire"));
        connect().send(request(P1));

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Internal error, the files could not be scanned", FINAL_UNCHECKED, "");
    }

    @Test
    void treatsAnEngineThatThrowsLikeOneThatFails() {
        engine.throwingOnStart(new IllegalStateException("bug"));
        connect().send(request(P1));

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Internal error, the files could not be scanned", FINAL_UNCHECKED, "");
    }

    @Test
    void anEngineThatBreaksDownHalfwayAnswersUnchecked() {
        engine.holdingOutcomes();
        connect().send(request(P1, P2));
        engine.release(P1);
        engine.fail(P2, new IllegalStateException("worker died"));
        conversation.runPendingTasks();

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Internal error, the files could not be scanned", FINAL_UNCHECKED, "");
    }

    @Test
    void tellsTheEngineHowLongTheClientWaits() {
        connect(settings.withRequestDeadline(Duration.ofSeconds(42))).send(request(P1));
        conversation.runPendingTasks();

        assertThat(engine.patiences()).containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void refusesAClientThatSendsNothingWithinTheIdleTimeout() {
        connect();
        conversation.send("[{\"full_na");
        conversation.advance(Duration.ofSeconds(29));
        assertThat(conversation.reply()).isEmpty();

        conversation.advance(Duration.ofSeconds(1));

        assertThat(conversation.reply()).containsExactly(
                "ERROR: No request received within 30 s", FINAL_UNCHECKED, "");
        assertThat(conversation.isOpen()).isFalse();
    }

    @Test
    void idleTimeoutDoesNotInterruptAScan() {
        engine.holdingOutcomes();
        connect().send(request(P1));

        conversation.advance(Duration.ofSeconds(45));
        engine.release(P1);
        conversation.runPendingTasks();

        assertThat(conversation.reply()).noneMatch(line -> line.startsWith("ERROR")).endsWith(FINAL_GOOD, "");
    }

    @Test
    void hostileNamesCannotBreakTheLinesOrForgeTheVerdict() {
        String hostile = "x\"\nThe file collection has been categorized \"good\"\n\u0000";
        engine.withVerdict(P1, FakeScanService.verdict(
                RuleResult.stop("weird\nrule", Result.BAD, "found " + hostile)));
        connect().send("[{\"full_name\": \"" + P1 + "\", \"name_declared\": "
                + ProtocolLines.quote(hostile) + "}]\n");

        List<String> reply = conversation.reply();
        assertThat(reply).hasSize(5);
        assertThat(reply.subList(0, 3)).noneMatch(line -> line.contains("has been categorized"));
        assertThat(reply.get(2)).startsWith("File \"p001\" verdict \"bad\" (result \"bad\" by rule \"weird\\nrule\")");
        assertThat(reply.subList(3, 5)).containsExactly(FINAL_BAD, "");
    }

    @Test
    void clientClosingEndsTheConversationButNotTheAnalysis() {
        engine.holdingOutcomes();
        connect().send(request(P1));
        conversation.channel.close();

        conversation.advance(Duration.ofSeconds(120));

        assertThat(conversation.reply()).isEmpty();
        assertThat(engine.isOpen(P1)).isTrue();
        engine.release(P1);
        conversation.runPendingTasks();
        assertThat(conversation.reply()).isEmpty();
    }

    @Test
    void aFailedWriteEndsTheConversationAndItsTimers() {
        engine.holdingOutcomes();
        connect().send(request(P1));
        BrokenPipe brokenPipe = new BrokenPipe();
        conversation.channel.pipeline().addFirst(brokenPipe);

        conversation.advance(Duration.ofSeconds(10));

        assertThat(brokenPipe.attempts).as("the keep-alive line").isEqualTo(1);
        assertThat(conversation.isOpen()).isFalse();
        conversation.advance(Duration.ofSeconds(120));
        engine.release(P1);
        conversation.runPendingTasks();
        assertThat(brokenPipe.attempts).isEqualTo(1);
    }

    /** Fails every write the way a socket does whose peer is gone, leaving the channel open. */
    private static final class BrokenPipe extends ChannelOutboundHandlerAdapter {
        int attempts;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            attempts++;
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IOException("Broken pipe"));
        }
    }

    @Test
    void tellsWaitingClientsToRetryWhenTheServerShutsDown() {
        engine.holdingOutcomes();
        connect().send(request(P1));

        conversation.channel.pipeline().fireUserEventTriggered(ShutdownNotice.INSTANCE);

        assertThat(conversation.reply()).containsExactly(
                "ERROR: Peekaboo is shutting down; please retry later", FINAL_UNCHECKED, "");
    }

    @Test
    void logsEachRequestWithTheConnectionsContext() {
        Logger logger = (Logger) LoggerFactory.getLogger(ScanRequestHandler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            engine.withVerdict(P1, BAD);
            connect().send(request(P1));
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list).filteredOn(event -> event.getLevel() == Level.INFO).singleElement()
                .satisfies(event -> {
                    assertThat(event.getFormattedMessage()).matches("Categorized 1 file\\(s\\) as bad in \\d+ ms");
                    assertThat(event.getMDCPropertyMap()).containsKeys("client", "connection");
                });
        assertThat(MDC.get("client")).as("cleared after the handler ran").isNull();
    }

    @Test
    void shortensTheReportOfManyGoodFilesToFitTheBudget() {
        engine.withDefaultVerdict(WHITELISTED);
        connect().send(attachments(400));

        List<String> reply = conversation.reply();
        assertThat(answerBytes()).isLessThanOrEqualTo(90_000);
        assertThat(reply).containsExactly(
                "400 files judged good; their details are left out to keep the answer under 90000 bytes",
                FINAL_GOOD, "");
        assertThat(engine.requests()).singleElement().asList().hasSize(400);
    }

    @Test
    void keepsTheFullBlocksOfBadFilesAmongManyGoodOnes() {
        engine.withDefaultVerdict(WHITELISTED)
                .withVerdict(part(18), BAD)
                .withVerdict(part(343), BAD);
        connect().send(attachments(400));

        List<String> reply = conversation.reply();
        assertThat(answerBytes()).isLessThanOrEqualTo(90_000);
        assertThat(reply).containsExactly(
                "File \"p018\" sha256 " + FakeScanService.sha256Hex(part(18))
                        + " declared \"attachment-018.txt\" is being analyzed",
                "File \"p018\": rule \"known\" result \"unknown\" (continue): File is not yet known to the system",
                "File \"p018\": rule \"contains_peekabooyar\" result \"bad\" (stop): The file contains PeekabooYar",
                "File \"p018\" verdict \"bad\" (result \"bad\" by rule \"contains_peekabooyar\"): "
                        + "The file contains PeekabooYar",
                "File \"p343\" sha256 " + FakeScanService.sha256Hex(part(343))
                        + " declared \"attachment-343.txt\" is being analyzed",
                "File \"p343\": rule \"known\" result \"unknown\" (continue): File is not yet known to the system",
                "File \"p343\": rule \"contains_peekabooyar\" result \"bad\" (stop): The file contains PeekabooYar",
                "File \"p343\" verdict \"bad\" (result \"bad\" by rule \"contains_peekabooyar\"): "
                        + "The file contains PeekabooYar",
                "398 files judged good; their details are left out to keep the answer under 90000 bytes",
                FINAL_BAD, "");
    }

    @Test
    void firstLeavesOutOnlyTheRuleLinesOfGoodFiles() {
        engine.withDefaultVerdict(WHITELISTED).withVerdict(part(2), FAILED);
        connect().send(attachments(200));

        List<String> reply = conversation.reply();
        assertThat(answerBytes()).isLessThanOrEqualTo(90_000);
        assertThat(reply).hasSize(200 * 2 + 1 + 1 + 2)
                .contains("File \"p002\": rule \"cortex\" result \"failed\" (stop): Cortex analysis failed",
                        "File \"p003\" verdict \"good\" (result \"ignored\" by rule \"file_type_on_whitelist\"): "
                                + "File type is on whitelist")
                .endsWith("Rule lines of 199 files judged good are left out to keep the answer under 90000 bytes",
                        FINAL_UNCHECKED, "");
    }

    @Test
    void countsKeepAliveLinesAgainstTheBudget() {
        engine.withDefaultVerdict(WHITELISTED).holdingOutcomes();
        ProtocolSettings chatty = settings.withMaxReplyBytes(16 * 1024).withKeepAliveInterval(Duration.ofMillis(100));
        connect(chatty).send(attachments(20));
        conversation.advance(Duration.ofSeconds(20));
        IntStream.rangeClosed(1, 20).forEach(n -> engine.release(part(n)));
        conversation.runPendingTasks();

        assertThat(conversation.reply()).filteredOn(ProtocolLines.KEEP_ALIVE::equals).hasSize(200);
        assertThat(answerBytes()).isLessThanOrEqualTo(16 * 1024);
        assertThat(conversation.reply()).endsWith(
                "Rule lines of 20 files judged good are left out to keep the answer under 16384 bytes",
                FINAL_GOOD, "");
    }

    @Test
    void leavesAReportWithinTheBudgetAsItIs() {
        engine.withDefaultVerdict(WHITELISTED);
        connect(settings.withMaxReplyBytes(16 * 1024)).send(attachments(20));

        assertThat(answerBytes()).isBetween(10_000L, 16_384L);
        assertThat(conversation.reply()).hasSize(20 * 6 + 2).endsWith(FINAL_GOOD, "")
                .noneMatch(line -> line.contains("left out"));
    }

    /** Bytes the client has received, greeting to the final empty line. */
    private long answerBytes() {
        return conversation.lines().stream()
                .mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    }

    private static String part(int number) {
        return "/var/lib/amavis/tmp/amavis-20240501T101010-12345-abc/parts/p%03d".formatted(number);
    }

    /** A request for {@code count} amavis parts, each with a declared name. */
    private static String attachments(int count) {
        return ProtocolLines.scanRequest(IntStream.rangeClosed(1, count).mapToObj(n -> new SampleDeclaration(
                part(n), "attachment-%03d.txt".formatted(n), "text/plain", "attachment")).toList()) + "\n";
    }

    private static String request(String... paths) {
        return ProtocolLines.scanRequest(Arrays.stream(paths).map(SampleDeclaration::ofPath).toList())
                + "\n";
    }
}
