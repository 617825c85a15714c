package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClamdSettingsLoaderTest {
    @TempDir
    Path dir;

    private ClamdSettings load(String text) throws IOException {
        Path file = dir.resolve("peekaboo.conf");
        Files.writeString(file, text);
        return PeekabooConfigLoader.load(file, Map.of()).config().clamd();
    }

    @Test
    void offByDefault() throws IOException {
        ClamdSettings clamd = load("# nothing\n");
        assertThat(clamd).isEqualTo(ClamdSettings.off());
        assertThat(clamd.enabled()).isFalse();
        assertThat(clamd.streamMaxLength()).isEqualTo(100L * 1024 * 1024);
        assertThat(clamd.replyDeadline()).isEqualTo(Duration.ofSeconds(4));
        assertThat(clamd.socketProfile()).isEqualTo(ClamdProfile.GENERIC);
        assertThat(clamd.listenProfile()).isEqualTo(ClamdProfile.GENERIC);
    }

    @Test
    void everyOptionIsRead() throws IOException {
        ClamdSettings clamd = load("""
                [clamd]
                socket_file: clamd.sock
                socket_mode: 0600
                socket_group: mail
                listen: 127.0.0.1:3310
                profile: clamav-milter
                stream_max_length: 25M
                reply_deadline: 2s
                command_read_timeout: 10s
                max_scan_files: 50
                """);
        assertThat(clamd).isEqualTo(new ClamdSettings(Optional.of(dir.resolve("clamd.sock")), 0600,
                Optional.of("mail"), ClamdProfile.CLAMAV_MILTER, Optional.of(new HostPort("127.0.0.1", 3310)),
                ClamdProfile.CLAMAV_MILTER, 25L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(10), 50));
        assertThat(clamd.enabled()).isTrue();
    }

    @Test
    void eachListenerMayServeItsOwnClient() throws IOException {
        ClamdSettings clamd = load("""
                [clamd]
                socket_file: clamd.sock
                listen: 127.0.0.1:3310
                profile: exim
                listen_profile: rspamd
                """);

        assertThat(clamd.socketProfile()).isEqualTo(ClamdProfile.EXIM);
        assertThat(clamd.listenProfile()).isEqualTo(ClamdProfile.RSPAMD);
        assertThat(clamd.exposure()).contains("Unix socket " + dir.resolve("clamd.sock") + " (mode 0660), profile exim;"
                + " TCP 127.0.0.1:3310 (loopback only), profile rspamd");
        assertThat(load("[clamd]\nsocket_file: clamd.sock\nsocket_profile: amavis\n").socketProfile())
                .isEqualTo(ClamdProfile.AMAVIS);
        assertThatThrownBy(() -> load("[clamd]\nlisten_profile: milter\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen_profile").hasMessageContaining("clamav-milter");
        assertThat(load("[clamd]\nsocket_group:\n").socketGroup()).isEmpty();
    }

    @Test
    void anUnknownProfileIsNamedWithTheChoices() {
        assertThatThrownBy(() -> load("[clamd]\nprofile: postfix\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("profile").hasMessageContaining("rspamd");
    }

    @Test
    void otherHostsNeedConsentAndAClientList() {
        assertThatThrownBy(() -> load("[clamd]\nlisten: 0.0.0.0:3310\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[clamd] listen_beyond_loopback");
    }

    @Test
    void otherHostsWithConsentAndClientsAreWarnedAbout() throws IOException {
        Path file = dir.resolve("peekaboo.conf");
        Files.writeString(file, "[server]\nallowed_client.0: 192.0.2.25\n[clamd]\nlisten: 0.0.0.0:3310\n"
                + "listen_beyond_loopback: yes\nsocket_file: /run/x.sock\nsocket_mode: 0666\n");
        LoadedConfig loaded = PeekabooConfigLoader.load(file, Map.of());
        assertThat(loaded.config().clamd().listen()).contains(new HostPort("0.0.0.0", 3310));
        assertThat(loaded.warnings()).extracting(Object::toString).anySatisfy(warning ->
                assertThat(warning).contains("other hosts").contains("192.0.2.25"))
                .anySatisfy(warning -> assertThat(warning).contains("every local user"));
    }

    @Test
    void aStreamLimitAboveTheSampleLimitIsWarnedAbout() throws IOException {
        Path file = dir.resolve("peekaboo.conf");
        Files.writeString(file, "[analysis]\nmax_sample_size: 10M\n[clamd]\nsocket_file: /run/x.sock\n");
        LoadedConfig loaded = PeekabooConfigLoader.load(file, Map.of());
        assertThat(loaded.warnings()).extracting(Object::toString).anySatisfy(warning ->
                assertThat(warning).contains("max_sample_size").contains("stream_max_length"));

        Files.writeString(file, "[analysis]\nmax_sample_size: 10M\n");
        assertThat(PeekabooConfigLoader.load(file, Map.of()).warnings()).as("the front end is off").isEmpty();
    }

    @Test
    void aReplyDeadlineBeyondTenMinutesIsRefused() {
        assertThatThrownBy(() -> load("[clamd]\nreply_deadline: 11m\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("reply_deadline");
    }
}
