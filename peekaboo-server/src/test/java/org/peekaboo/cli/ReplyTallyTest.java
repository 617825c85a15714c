package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyTallyTest {

    @Test
    void countsEveryFileVerdictAndTheFinalLine() {
        ReplyTally tally = new ReplyTally();

        count(tally, """
                Hello, this is Peekaboo.

                Files are being analyzed...
                File "p002" sha256 5b1f declared "invoice.doc" is being analyzed
                File "p002": rule "known" result "unknown" (continue): File is not yet known to the system
                File "p002": rule "contains_peekabooyar" result "bad" (stop): marker
                File "p002" verdict "bad" (result "bad" by rule "contains_peekabooyar"): marker
                File "p003": rule "known" result "unknown" (continue): verdict "good" in free text is no verdict
                File "p003" verdict "good" (result "ignored" by rule "file_type_on_whitelist"): whitelisted
                File "p004" verdict "unchecked" (result "unchecked" by rule "deadline"): still running
                The file collection has been categorized "bad"

                """);

        assertThat(tally.files(ReplyTally.GOOD)).isEqualTo(1);
        assertThat(tally.files(ReplyTally.BAD)).isEqualTo(1);
        assertThat(tally.files(ReplyTally.UNCHECKED)).isEqualTo(1);
        assertThat(tally.requests(ReplyTally.BAD)).isEqualTo(1);
        assertThat(tally.requests(ReplyTally.GOOD)).isZero();
        assertThat(tally.failed()).isZero();
    }

    @Test
    void aQuotedNameCannotForgeAVerdict() {
        ReplyTally tally = new ReplyTally();

        count(tally, """
                File "x\\" verdict \\"bad\\" (y" verdict "good" (result "good" by rule "r"): ok
                The file collection has been categorized "good"
                """);

        assertThat(tally.files(ReplyTally.BAD)).isZero();
        assertThat(tally.files(ReplyTally.GOOD)).isEqualTo(1);
    }

    @Test
    void aReplyWithoutFinalLineOrWithAnErrorIsAFailedRequest() {
        ReplyTally tally = new ReplyTally();

        count(tally, "Hello, this is Peekaboo.\n\nFile \"p1\" verdict \"good\" (result \"good\" by rule \"r\"): ok\n");
        count(tally, "Hello, this is Peekaboo.\n\nERROR: Invalid JSON request\n");
        count(tally, "The file collection has been categorized \"unchecked\"");  // no newline at the end
        tally.failedRequest();

        assertThat(tally.failed()).isEqualTo(3);
        assertThat(tally.requests(ReplyTally.UNCHECKED)).isEqualTo(1);
        assertThat(tally.files(ReplyTally.GOOD)).isEqualTo(1);
    }

    @Test
    void talliesAddUp() {
        ReplyTally one = new ReplyTally();
        ReplyTally two = new ReplyTally();
        count(one, "File \"a\" verdict \"good\" (x)\nThe file collection has been categorized \"good\"\n");
        count(two, "File \"b\" verdict \"unchecked\" (x)\nThe file collection has been categorized \"unchecked\"\n");
        two.failedRequest();

        one.add(two);

        assertThat(one.files(ReplyTally.GOOD)).isEqualTo(1);
        assertThat(one.files(ReplyTally.UNCHECKED)).isEqualTo(1);
        assertThat(one.requests(ReplyTally.GOOD)).isEqualTo(1);
        assertThat(one.requests(ReplyTally.UNCHECKED)).isEqualTo(1);
        assertThat(one.failed()).isEqualTo(1);
    }

    @Test
    void readsClamdRepliesAsAMailFilterDoes() {
        ReplyTally tally = ReplyTally.forClamd();

        count(tally, "stream: OK\0");
        count(tally, "stream: Peekaboo.contains_peekabooyar FOUND\0");
        count(tally, "stream: Bench.Marker.UNOFFICIAL FOUND\0");
        count(tally, "stream: Peekaboo has no verdict yet (still running), try again later. ERROR\0");
        count(tally, "stream: Heuristics.Limits.Exceeded.Peekaboo.Unchecked FOUND\0");
        count(tally, "INSTREAM size limit exceeded. ERROR\0");

        assertThat(tally.files(ReplyTally.GOOD)).isEqualTo(1);
        assertThat(tally.files(ReplyTally.BAD)).isEqualTo(2);
        assertThat(tally.files(ReplyTally.UNCHECKED)).isEqualTo(3);
        assertThat(tally.requests(ReplyTally.BAD)).isEqualTo(2);
        assertThat(tally.failed()).isZero();
    }

    @Test
    void aClamdReplyCutShortOrOfNoKnownFormFails() {
        ReplyTally tally = ReplyTally.forClamd();

        count(tally, "");
        count(tally, "stream: OK");  // the NUL never came
        count(tally, "stream: OKAY\0");
        count(tally, "UNKNOWN COMMAND\0");

        assertThat(tally.failed()).isEqualTo(4);
        assertThat(tally.files(ReplyTally.GOOD)).isZero();
        assertThat(tally.files(ReplyTally.UNCHECKED)).isZero();
    }

    private static void count(ReplyTally tally, String reply) {
        // the bench reads into a larger buffer than the reply: only the given length counts
        byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[bytes.length + 64];
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        java.util.Arrays.fill(buffer, bytes.length, buffer.length, (byte) 'F');
        tally.countReply(buffer, bytes.length);
    }
}
