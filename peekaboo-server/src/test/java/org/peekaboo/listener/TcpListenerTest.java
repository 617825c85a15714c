package org.peekaboo.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TcpListenerTest {

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(TcpListener.localhost(8100)).isEqualTo(new TcpListener("127.0.0.1", 8100));
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThatThrownBy(() -> new TcpListener("127.0.0.1", 65536))
                .hasMessage("[server] listen: the port must be between 0 and 65535, got 65536");
    }

    @Test
    void refusesABlankHost() {
        assertThatThrownBy(() -> new TcpListener("", 8100)).hasMessage("[server] listen: the host must not be blank");
    }
}
