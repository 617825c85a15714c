package org.peekaboo.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.peekaboo.sample.FileOpener;

/**
 * {@code open(2)} from the C library through JNA, with the flags Java cannot give: {@code O_NOFOLLOW}
 * (a link swapped in for the file fails with ELOOP instead of leading elsewhere) and
 * {@code O_NONBLOCK} (a FIFO swapped in does not wait for a writer, a device does not wait for
 * anything), plus {@code O_CLOEXEC} and {@code O_NOCTTY}. Everything else (checking and reading the
 * descriptor) goes through {@code /proc/self/fd} in plain Java. Flag values differ between
 * architectures; on one whose values are not known here the daemon refuses to start.
 */
public final class LibcFiles implements FileOpener {
    private static final int O_RDONLY = 0;
    private static final int O_NOCTTY = 0400;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    /** O_NOFOLLOW is where the architectures differ (asm-generic vs. x86 and arm64's own). */
    private static final Map<String, Integer> O_NOFOLLOW = Map.of(
            "amd64", 0400000, "x86_64", 0400000,
            "aarch64", 0100000, "arm64", 0100000);

    private final CLibrary libc;
    private final int flags;
    private final Charset pathEncoding;

    private LibcFiles(CLibrary libc, int noFollow) {
        this.libc = libc;
        this.flags = O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | noFollow;
        this.pathEncoding = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);
    }

    /**
     * Loads the C library for this machine.
     *
     * @throws IllegalStateException saying why samples cannot be opened safely here (not Linux, an
     *                               architecture whose flags are unknown, no /proc, no native access)
     */
    public static LibcFiles load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        Integer noFollow = O_NOFOLLOW.get(arch);
        if (!os.equals("Linux") || noFollow == null) {
            throw new IllegalStateException("Peekaboo opens samples with open(2) flags it knows only for Linux on "
                    + "x86_64 and aarch64, not " + os + " on " + arch + "; it cannot read samples safely here");
        }
        if (!Path.of("/proc/self/fd").toFile().isDirectory()) {
            throw new IllegalStateException("/proc is not mounted: Peekaboo checks the files it opens through "
                    + "/proc/self/fd");
        }
        try {
            return new LibcFiles(Native.load("c", CLibrary.class), noFollow);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IllegalStateException("Cannot call the C library through JNA (" + e.getMessage()
                    + "); Peekaboo needs it to open samples safely", e);
        }
    }

    @Override
    public OpenFile open(Path file) throws IOException {
        byte[] name = file.toString().getBytes(pathEncoding);
        int descriptor;
        try {
            descriptor = libc.open(Arrays.copyOf(name, name.length + 1), flags);
        } catch (LastErrorException e) {
            throw new IOException("open: " + strerror(e.getErrorCode()));
        }
        return new Descriptor(descriptor);
    }

    private String strerror(int errno) {
        return switch (errno) {
            case 2 -> "ENOENT (no such file)";
            case 13 -> "EACCES (permission denied)";
            case 40 -> "ELOOP (a symbolic link)";
            case 6 -> "ENXIO (a device or socket without a reader)";
            default -> "errno " + errno;
        };
    }

    private final class Descriptor implements OpenFile {
        private final int descriptor;
        private boolean closed;

        private Descriptor(int descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public int descriptor() {
            return descriptor;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                try {
                    libc.close(descriptor);
                } catch (LastErrorException e) {
                    // Linux releases the descriptor even when close fails; nothing was written to lose.
                }
            }
        }
    }

    /** The two calls Peekaboo makes; JNA throws {@link LastErrorException} when they fail. */
    private interface CLibrary extends Library {
        int open(byte[] path, int flags) throws LastErrorException;

        int close(int descriptor) throws LastErrorException;
    }
}
