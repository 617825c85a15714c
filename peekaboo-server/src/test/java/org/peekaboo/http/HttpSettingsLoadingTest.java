package org.peekaboo.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.config.LoadedConfig;
import org.peekaboo.config.PeekabooConfigLoader;

/** The {@code [http]} section as an operator writes it. */
class HttpSettingsLoadingTest {
    @TempDir
    Path dir;

    private LoadedConfig load(String http) throws IOException {
        Path file = dir.resolve("peekaboo.conf");
        Files.writeString(file, "[http]\n" + http);
        return PeekabooConfigLoader.load(file, Map.of());
    }

    private Path privateFile(String name, String content, String mode) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void offUntilListenIsGiven() throws IOException {
        assertThat(load("").config().http()).isEqualTo(HttpSettings.off());
        assertThat(HttpSettings.off().enabled()).isFalse();
        HttpSettings on = load("listen: 8100\nmax_upload_size: 10M\nscan_wait: 0s\njob_deadline: 5m\n").config().http();
        assertThat(on.listen()).contains(new HostPort("127.0.0.1", 8100));
        assertThat(on.maxUploadSize()).isEqualTo(10L * 1024 * 1024);
        assertThat(on.scanWait()).isZero();
        assertThat(on.jobDeadline()).isEqualTo(Duration.ofMinutes(5));
        assertThat(on.tls()).isFalse();
        assertThat(on.token()).isEmpty();
        assertThat(on.exposure()).contains("HTTP on TCP 127.0.0.1:8100 (loopback only), no token");
        assertThat(HttpSettings.off().exposure()).isEmpty();
    }

    @Test
    void otherHostsNeedConsentAndTheClientList() {
        assertThatThrownBy(() -> load("listen: 0.0.0.0:8100\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[http] listen_beyond_loopback");
    }

    @Test
    void theTokenComesFromAFileOtherUsersCannotRead() throws IOException {
        privateFile("token", "s3cret\nignored\n", "rw-r-----");
        assertThat(load("listen: 8100\ntoken_file: token\n").config().http().token().orElseThrow().value())
                .isEqualTo("s3cret");
        privateFile("open-token", "s3cret\n", "rw-r--r--");
        assertThatThrownBy(() -> load("listen: 8100\ntoken_file: open-token\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("readable by every user");
    }

    @Test
    void tlsNeedsBothReadableFiles() throws IOException {
        privateFile("cert.pem", "-----BEGIN CERTIFICATE-----\n", "rw-r--r--");
        privateFile("key.pem", "-----BEGIN PRIVATE KEY-----\n", "rw-------");
        HttpSettings tls = load("listen: 8100\ntls_certificate: cert.pem\ntls_key: key.pem\n").config().http();
        assertThat(tls.tls()).isTrue();
        assertThat(tls.tlsKey()).contains(dir.resolve("key.pem"));
        assertThat(tls.exposure().orElseThrow()).startsWith("HTTPS on TCP");
        assertThatThrownBy(() -> load("listen: 8100\ntls_certificate: cert.pem\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("both tls_certificate and tls_key");
        assertThatThrownBy(() -> load("listen: 8100\ntls_certificate: cert.pem\ntls_key: missing.pem\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }
}
