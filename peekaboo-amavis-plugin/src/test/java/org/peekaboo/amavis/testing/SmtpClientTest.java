package org.peekaboo.amavis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpClientTest {

    @Test
    void linesStartingWithADotAreDoubledAndLineEndsBecomeCrlf() {
        byte[] stuffed = SmtpClient.dotStuffed(".hidden\nplain\r\n..two\rlast".getBytes(StandardCharsets.US_ASCII));

        assertThat(new String(stuffed, StandardCharsets.US_ASCII))
                .isEqualTo("..hidden\r\nplain\r\n...two\r\nlast\r\n");
    }
}
