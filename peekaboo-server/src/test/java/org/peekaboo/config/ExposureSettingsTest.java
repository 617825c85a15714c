package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the configuration lets reach Peekaboo, and which secrets it refuses to keep where anyone can read them. */
class ExposureSettingsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private LoadedConfig load(String text) throws IOException {
        return PeekabooConfigLoader.load(write("peekaboo.conf", text, "rw-r--r--"), Map.of());
    }

    @Nested
    class TcpBeyondLoopback {
        @Test
        void everyAddressOrANameNeedsConsentAndAnAllowList() {
            for (String listen : List.of("0.0.0.0:8100", "[::]:8100", "192.0.2.1:8100", "mail.example.org:8100")) {
                assertThatThrownBy(() -> load("[server]\nlisten: " + listen + "\n")).as(listen)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageStartingWith(dir.resolve("peekaboo.conf") + ":2: [server] listen: listen ")
                        .hasMessageContaining("would accept connections from other hosts")
                        .hasMessageContaining("set [server] listen_beyond_loopback: yes and list the clients");
            }
        }

        @Test
        void consentWithoutAnAllowListIsNotEnough() {
            assertThatThrownBy(() -> load("[server]\nlisten: 0.0.0.0:8100\nlisten_beyond_loopback: yes\n"))
                    .hasMessageEndingWith("(allowed_client is empty)");
        }

        @Test
        void loopbackNeedsNeither() throws IOException {
            for (String listen : List.of("8100", "127.0.0.1:8100", "127.1.2.3:8100", "[::1]:8100", "localhost:8100")) {
                LoadedConfig loaded = load("[server]\nlisten: " + listen + "\n");
                assertThat(loaded.config().server().listen()).as(listen).isPresent();
                assertThat(loaded.warnings()).as(listen).isEmpty();
            }
        }

        @Test
        void withBothItListensAndWarns() throws IOException {
            LoadedConfig loaded = load("""
                    [server]
                    listen: 0.0.0.0:8100
                    listen_beyond_loopback: yes
                    allowed_client.mx1: 192.0.2.25
                    allowed_client.lan: 2001:db8::/32
                    """);

            assertThat(loaded.config().server().allowedClients())
                    .containsExactly(ClientNetwork.parse("192.0.2.25"), ClientNetwork.parse("2001:db8::/32"));
            assertThat(loaded.warnings()).singleElement().asString()
                    .contains(":2: [server] listen: accepts connections from other hosts");
        }

        @Test
        void anAllowListAdmittingEveryoneOrWithoutListenerIsWarnedAbout() throws IOException {
            LoadedConfig loaded = load("[server]\nallowed_client.0: 0.0.0.0/0\n");

            assertThat(loaded.warnings()).extracting(Object::toString).containsExactly(
                    dir.resolve("peekaboo.conf") + ":2: [server] allowed_client.0: admits every address; list the"
                            + " hosts or networks of your mail filters instead",
                    dir.resolve("peekaboo.conf") + ":2: [server] allowed_client.0: has no effect without [server]"
                            + " listen");
        }

        @Test
        void aSocketEveryUserMayWriteToIsWarnedAbout() throws IOException {
            assertThat(load("[server]\nsocket_mode: 0666\n").warnings()).singleElement().asString()
                    .endsWith(":2: [server] socket_mode: lets every local user connect and make Peekaboo read files in"
                            + " the allowed directories; give the socket to amavis' group (socket_group) and use 0660");
            assertThat(load("[server]\nsocket_mode: 0660\n").warnings()).isEmpty();
        }

        @Test
        void aBadEntryNamesItsLine() {
            assertThatThrownBy(() -> load("[server]\nlisten: 8100\nallowed_client.x: mx.example.org\n"))
                    .hasMessageStartingWith(dir.resolve("peekaboo.conf") + ":3: [server] allowed_client.x:"
                            + " \"mx.example.org\" is not an address or network");
        }

        @Test
        void theCommandLineCannotOpenItEither() {
            PeekabooConfig embedded = PeekabooConfig.embedded(EmbeddedEnvironment.current());

            assertThatThrownBy(() -> embedded.withListen(HostPort.parse("0.0.0.0:8100")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("listen_beyond_loopback");
        }
    }

    @Nested
    class ConnectionLimits {
        @Test
        void defaultsAndValues() throws IOException {
            assertThat(load("").config().server().maxConnections()).isEqualTo(512);
            assertThat(load("").config().server().maxConnectionsPerClient()).isEqualTo(128);
            ServerSettings server = load("[server]\nmax_connections: 64\nmax_connections_per_client: 8\n").config()
                    .server();
            assertThat(server.maxConnections()).isEqualTo(64);
            assertThat(server.maxConnectionsPerClient()).isEqualTo(8);
        }

        @Test
        void aClientCannotBeAllowedMoreThanEveryone() {
            assertThatThrownBy(() -> load("[server]\nmax_connections: 64\nmax_connections_per_client: 65\n"))
                    .hasMessageStartingWith(dir.resolve("peekaboo.conf") + ":3: [server] max_connections_per_client:");
        }
    }

    @Nested
    class SecretsInConfigFiles {
        private static final String URL_WITH_PASSWORD = "[db]\nurl: mysql://peekaboo:s3cret@db.example.org/peekaboo\n";

        @Test
        void aPasswordInAFileEveryoneCanReadIsRefused() throws IOException {
            Path main = write("peekaboo.conf", URL_WITH_PASSWORD, "rw-r--r--");

            assertThatThrownBy(() -> PeekabooConfigLoader.load(main, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(main + ":2: [db] url: " + main + " holds the database password (in [db] url) and is"
                            + " readable by every user; restrict it, e.g. chmod o-rwx " + main + " (group peekaboo"
                            + " may keep reading it), or move the secret to a file of its own")
                    .message().doesNotContain("s3cret");
        }

        @Test
        void theDropFileHoldingThePasswordIsTheOneNamed() throws IOException {
            Path main = write("peekaboo.conf", "[global]\n", "rw-r--r--");
            Path drop = write("peekaboo.conf.d/50-db.conf", URL_WITH_PASSWORD, "rw-r--r--");

            assertThatThrownBy(() -> PeekabooConfigLoader.load(main, Map.of()))
                    .hasMessageStartingWith(drop + ":2: [db] url: " + drop + " holds the database password");
        }

        @Test
        void readableByOwnerAndGroupOrWithoutPasswordIsFine() throws IOException {
            Path main = write("peekaboo.conf", URL_WITH_PASSWORD, "rw-r-----");
            assertThat(PeekabooConfigLoader.load(main, Map.of()).config().store().url()).isPresent();

            Path withoutPassword = write("other.conf", "[db]\nurl: mysql://peekaboo@db.example.org/peekaboo\n",
                    "rw-r--r--");
            assertThat(PeekabooConfigLoader.load(withoutPassword, Map.of()).config().store().url()).isPresent();
        }

        @Test
        void aCortexKeyInAnAnalyzersConfEveryoneCanReadIsRefused() throws IOException {
            Path analyzers = write("analyzers.conf", "[cortex]\napi_token: k3y\n", "rw-r--r--");

            assertThatThrownBy(() -> CortexSettingsLoader.load(analyzers, Map.of()))
                    .hasMessageStartingWith(analyzers + ":2: [cortex] api_token: " + analyzers
                            + " holds the Cortex API key ([cortex] api_token) and is readable by every user");
        }
    }
}
