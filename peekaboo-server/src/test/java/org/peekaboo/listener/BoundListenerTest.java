package org.peekaboo.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class BoundListenerTest {

    @Test
    void onlyATcpAddressIsTcpThoughJunixsocketsUnixAddressesAreInetSocketAddresses() throws SocketException {
        AFUNIXSocketAddress junixsocket = AFUNIXSocketAddress.of(Path.of("/run/peekaboo/clamd.sock"));
        assertThat(junixsocket).isInstanceOf(InetSocketAddress.class);

        assertThat(new BoundListener("unix:/run/peekaboo/clamd.sock", junixsocket).tcp()).isFalse();
        assertThat(new BoundListener("unix:/run/peekaboo/peekaboo.sock",
                UnixDomainSocketAddress.of("/run/peekaboo/peekaboo.sock")).tcp()).isFalse();
        assertThat(new BoundListener("tcp:127.0.0.1:3310", new InetSocketAddress("127.0.0.1", 3310)).tcp()).isTrue();
    }
}
