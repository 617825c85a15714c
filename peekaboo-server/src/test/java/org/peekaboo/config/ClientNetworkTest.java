package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ClientNetworkTest {
    @Test
    void aSingleAddressAdmitsOnlyItself() throws UnknownHostException {
        ClientNetwork host = ClientNetwork.parse("192.0.2.25");

        assertThat(host.contains(address("192.0.2.25"))).isTrue();
        assertThat(host.contains(address("192.0.2.26"))).isFalse();
        assertThat(host).hasToString("192.0.2.25");
    }

    @Test
    void anIpv4NetworkAdmitsItsAddressesAlsoWhenSeenAsMappedIpv6() throws UnknownHostException {
        ClientNetwork lan = ClientNetwork.parse(" 192.0.2.77/24 ");

        assertThat(lan).hasToString("192.0.2.0/24");
        assertThat(lan.contains(address("192.0.2.1"))).isTrue();
        assertThat(lan.contains(InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1,
            (byte) 192, 0, 2, 9}))).isTrue();
        assertThat(lan.contains(address("192.0.3.1"))).isFalse();
        assertThat(lan.contains(address("::1"))).isFalse();
    }

    @Test
    void ipv6NetworksWithAndWithoutBrackets() throws UnknownHostException {
        ClientNetwork net = ClientNetwork.parse("2001:db8::/32");

        assertThat(net.contains(address("2001:db8:ffff::1"))).isTrue();
        assertThat(net.contains(address("2001:db9::1"))).isFalse();
        assertThat(net.contains(address("192.0.2.1"))).isFalse();
        assertThat(ClientNetwork.parse("[::1]").contains(address("::1"))).isTrue();
        assertThat(ClientNetwork.parse("::/0").everyone()).isTrue();
    }

    @Test
    void namesPrefixesOutOfRangeAndGarbageAreRefused() {
        assertThatThrownBy(() -> ClientNetwork.parse("mail.example.org")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no host names");
        assertThatThrownBy(() -> ClientNetwork.parse("192.0.2.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ClientNetwork.parse("192.0.2.0/x")).hasMessageContaining("not a prefix length");
        assertThatThrownBy(() -> ClientNetwork.parse("999.0.2.1")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ClientNetwork.parse("")).isInstanceOf(ConfigException.class);
    }

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
