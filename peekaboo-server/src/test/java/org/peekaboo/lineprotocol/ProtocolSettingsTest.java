package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.peekaboo.config.ServerSettings;

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
    void everyLimitComesFromTheServerSettings() {
        ServerSettings server = ServerSettings.builder()
                .socketFile(Path.of("/run/test.sock"))
                .keepAliveInterval(Duration.ofSeconds(3))
                .requestDeadline(Duration.ofSeconds(70))
                .idleTimeout(Duration.ofSeconds(40))
                .maxLineLength(4096)
                .maxParts(7)
                .maxReplySize(20_000)
                .build();

        assertThat(ProtocolSettings.of(server)).isEqualTo(new ProtocolSettings(Duration.ofSeconds(3),
                Duration.ofSeconds(70), Duration.ofSeconds(40), 4096, 7, 20_000));
    }
}
