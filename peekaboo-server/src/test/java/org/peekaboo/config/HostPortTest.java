package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "8100|127.0.0.1|8100",
            "localhost:8100|localhost|8100",
            "0.0.0.0:1|0.0.0.0|1",
            "scanner.example.org:65535|scanner.example.org|65535",
            "[::1]:8100|::1|8100",
            "[::]:8100|::|8100",
            "[fe80::1%eth0]:8100|fe80::1%eth0|8100",
            "' 10.0.0.1:25 '|10.0.0.1|25"})
    void parsesTheThreeForms(String text, String host, int port) {
        assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8100", "localhost:8100", "[::1]:8100", "[fe80::1%eth0]:8100"})
    void toStringParsesBack(String text) {
        HostPort parsed = HostPort.parse(text);

        assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", ":8100", "host:port", "a b:8100", "[::1]", "[]:8100",
            "[host]:8100", "[::1]8100", "ho/st:80", "http://host:80"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("\"" + text + "\"")
                .hasMessageContaining("allowed: host:port, [ipv6]:port or a port alone for 127.0.0.1:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "host:0", "host:99999999999", "[::1]:70000"})
    void rejectsPortsOutOfRange(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is out of range")
                .hasMessageContaining("port 1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1:8100", "fe80::1:8100"})
    void unbracketedIpv6GetsAHint(String text) {
        assertThatThrownBy(() -> HostPort.parse(text))
                .hasMessageContaining("write IPv6 addresses in brackets, e.g. [::1]:8100");
    }

    @org.junit.jupiter.api.Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new HostPort("", 80)).hasMessage("\"\" is not a host name or IP address");
        assertThatThrownBy(() -> new HostPort("localhost", 0))
                .hasMessage("port 0 is out of range (allowed: 1 to 65535)");
    }
}
