package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseLineEncoderTest {

    @Test
    void writesUtf8AndANewline() {
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseLineEncoder());

        channel.writeOutbound(new ResponseLine("File \"R\u00e9sum\u00e9\""));

        ByteBuf encoded = channel.readOutbound();
        try {
            assertThat(encoded.toString(StandardCharsets.UTF_8)).isEqualTo("File \"R\u00e9sum\u00e9\"\n");
        } finally {
            encoded.release();
        }
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aLineCannotContainALineBreak() {
        assertThatThrownBy(() -> new ResponseLine("one\ntwo")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResponseLine("one\rtwo")).isInstanceOf(IllegalArgumentException.class);
    }
}
