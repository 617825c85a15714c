package org.peekaboo.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProtocolSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ProtocolSettings settings = ProtocolSettings.defaults();

        assertThat(settings.keepAliveInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.requestDeadline()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxLineLength()).isEqualTo(1024 * 1024);
        assertThat(settings.maxParts()).isEqualTo(1000);
        assertThat(settings.maxReplyBytes()).isEqualTo(90_000);
    }

    @Test
    void refusesZeroDurationNamingTheKey() {
        assertThatThrownBy(() -> ProtocolSettings.defaults().withKeepAliveInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[server] keepalive_interval must be between 1 ms and 1 h, got 0 ms");
    }

    @Test
    void refusesOverlongDeadline() {
        assertThatThrownBy(() -> ProtocolSettings.defaults().withRequestDeadline(Duration.ofHours(2)))
                .hasMessage("[server] request_deadline must be between 1 ms and 1 h, got 7200 s");
    }

    @Test
    void refusesMissingIdleTimeout() {
        assertThatThrownBy(() -> ProtocolSettings.defaults().withIdleTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("[server] idle_timeout is missing");
    }

    @Test
    void refusesTinyLineLimit() {
        assertThatThrownBy(() -> ProtocolSettings.defaults().withMaxLineLength(100))
                .hasMessage("[server] max_line_length must be between 256 and 67108864, got 100");
    }

    @Test
    void refusesZeroParts() {
        assertThatThrownBy(() -> ProtocolSettings.defaults().withMaxParts(0))
                .hasMessage("[server] max_parts must be between 1 and 100000, got 0");
    }

    @Test
    void refusesAReplyBudgetTooSmallForTheSummaryLines() {
        assertThatThrownBy(() -> ProtocolSettings.defaults().withMaxReplyBytes(16 * 1024 - 1))
                .hasMessage("[server] max_reply_size must be between 16384 and 67108864, got 16383");
    }

    @Test
    void acceptsTheReplyBudgetLimits() {
        assertThat(ProtocolSettings.defaults().withMaxReplyBytes(16 * 1024).maxReplyBytes()).isEqualTo(16 * 1024);
        assertThat(ProtocolSettings.defaults().withMaxReplyBytes(64 * 1024 * 1024).maxReplyBytes())
                .isEqualTo(64 * 1024 * 1024);
    }
}
