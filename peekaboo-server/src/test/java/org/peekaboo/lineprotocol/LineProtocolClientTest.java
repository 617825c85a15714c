package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.Verdict;

class LineProtocolClientTest {

    @Test
    void parsesACompleteReply() {
        List<String> lines = List.of(
                "Hello, this is Peekaboo.", "",
                "Files are being analyzed...",
                "File \"p001\" sha256 abc is being analyzed",
                "File \"p001\": rule \"known\" result \"unknown\" (continue): File is not yet known to the system",
                "File \"p001\" verdict \"good\" (result \"unknown\" by rule \"final_rule\"): Nothing found",
                "File \"p002\" is being analyzed",
                "File \"p002\" verdict \"unchecked\" (result \"unchecked\" by rule \"deadline\"): Still running",
                "The file collection has been categorized \"unchecked\"", "");

        ScanReply reply = LineProtocolClient.reply(lines);

        assertThat(reply.files()).containsExactly(
                new ScanReply.FileVerdict("p001", Verdict.GOOD, Result.UNKNOWN, "final_rule", "Nothing found"),
                new ScanReply.FileVerdict("p002", Verdict.UNCHECKED, Result.UNCHECKED, "deadline", "Still running"));
        assertThat(reply.categorized()).contains(Verdict.UNCHECKED);
        assertThat(reply.errors()).isEmpty();
        assertThat(reply.lines()).isEqualTo(lines);
    }

    @Test
    void collectsErrors() {
        ScanReply reply = LineProtocolClient.reply(List.of("Hello, this is Peekaboo.", "",
                "ERROR: Too many parts", "The file collection has been categorized \"unchecked\"", ""));

        assertThat(reply.errors()).containsExactly("Too many parts");
        assertThat(reply.files()).isEmpty();
    }

    @Test
    void aReplyWithoutFinalLineIsUnchecked() {
        ScanReply reply = LineProtocolClient.reply(List.of("Hello, this is Peekaboo.", "",
                "File \"p001\" verdict \"good\" (result \"good\" by rule \"expressions\"): fine"));

        assertThat(reply.categorized()).isEmpty();
        assertThat(reply.verdict()).isEqualTo(Verdict.UNCHECKED);
    }

    @Test
    void refusesAnEmptyScan() {
        LineProtocolClient client = LineProtocolClient.unix(Path.of("/nonexistent.sock"), Duration.ofSeconds(1));

        assertThatThrownBy(() -> client.scan(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> LineProtocolClient.unix(Path.of("/x.sock"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
