package org.peekaboo.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnixListenerTest {
    private static final Path SOCKET = Path.of("/run/peekaboo/peekaboo.sock");

    @Test
    void defaultsToGroupReadWrite() {
        UnixListener listener = UnixListener.of(SOCKET);

        assertThat(PosixFilePermissions.toString(listener.mode())).isEqualTo("rw-rw----");
        assertThat(listener.octalMode()).isEqualTo("0660");
        assertThat(listener.group()).isEmpty();
        assertThat(listener).hasToString("unix:/run/peekaboo/peekaboo.sock (mode 0660)");
    }

    @Test
    void convertsOctalModes() {
        assertThat(PosixFilePermissions.toString(UnixListener.permissions(0754))).isEqualTo("rwxr-xr--");
        assertThat(PosixFilePermissions.toString(UnixListener.permissions(0))).isEqualTo("---------");
        assertThat(UnixListener.of(SOCKET).withMode(0602).octalMode()).isEqualTo("0602");
    }

    @Test
    void dropsSpecialBitsThatMeanNothingForASocket() {
        assertThat(PosixFilePermissions.toString(UnixListener.permissions(03660))).isEqualTo("rw-rw----");
    }

    @Test
    void refusesModesBeyondOctal7777() {
        assertThatThrownBy(() -> UnixListener.permissions(010000))
                .hasMessage("[server] socket_mode must be between 0000 and 7777 (octal), got 010000");
    }

    @Test
    void refusesABlankGroup() {
        assertThatThrownBy(() -> new UnixListener(SOCKET, UnixListener.permissions(0660), Optional.of(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("[server] socket_group must not be blank");
    }

    @Test
    void namesTheGroupInItsDescription() {
        assertThat(UnixListener.of(SOCKET).withGroup("amavis"))
                .hasToString("unix:/run/peekaboo/peekaboo.sock (mode 0660, group amavis)");
    }
}
