package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DataDirectoryTest {
    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        ((Logger) LoggerFactory.getLogger(DataDirectory.class)).addAppender(log);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(DataDirectory.class)).detachAppender(log);
    }

    @Test
    void lowFreeSpaceIsWarnedAboutOnceHoweverOftenItIsChecked() {
        DataDirectory directory = new DataDirectory(dir, Long.MAX_VALUE);

        for (int i = 0; i < 5; i++) {
            directory.check();
        }

        assertThat(directory.low()).isTrue();
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel().toString()).isEqualTo("WARN");
            assertThat(event.getFormattedMessage()).contains(dir.toString(), "free", "unchecked");
        });
    }

    @Test
    void enoughFreeSpaceIsNotWorthALine() {
        DataDirectory directory = new DataDirectory(dir, 0);

        directory.check();

        assertThat(directory.low()).isFalse();
        assertThat(log.list).isEmpty();
    }

    @Test
    void filesAnotherProcessOrAnOldVersionLeftOpenAreTightened() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path file = Files.writeString(dir.resolve("peekaboo.mv.db"), "data");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrw-rw-"));
        Path link = Files.createSymbolicLink(dir.resolve("elsewhere"), Files.writeString(
                Files.createTempFile("outside", ".txt"), "not ours"));
        Files.setPosixFilePermissions(link.toRealPath(), PosixFilePermissions.fromString("rw-r--r--"));

        new DataDirectory(dir, 0).check();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(link.toRealPath())))
                .as("a symlink's target is not the daemon's to change").isEqualTo("rw-r--r--");
        Files.delete(link.toRealPath());
    }
}
