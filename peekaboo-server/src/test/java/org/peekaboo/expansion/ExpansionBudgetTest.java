package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.verdict.Result;

class ExpansionBudgetTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong();

    @Test
    void copiesAMemberWithinTheLimits() throws IOException {
        ExpansionBudget budget = budget(ExpansionSettings.defaults());
        budget.countMember("a.txt");
        try (SampleContent content = budget.copy(new ByteArrayInputStream("hello".getBytes()), "a.txt", 5)) {
            assertThat(content.readAllBytes()).isEqualTo("hello".getBytes());
        }
        assertThat(budget.members()).isEqualTo(1);
        assertThat(budget.unpacked()).isEqualTo(5);
    }

    @Test
    void moreMembersThanAllowed() throws IOException {
        ExpansionBudget budget = budget(settings(3, 1L << 30, 100, Duration.ofSeconds(30)));
        for (int i = 0; i < 3; i++) {
            budget.countMember("m" + i);
        }
        assertThatThrownBy(() -> budget.countMember("m3")).isInstanceOfSatisfying(LimitReachedException.class,
                e -> {
                    assertThat(e.finding().kind()).isEqualTo(Finding.Kind.MEMBERS);
                    assertThat(e.finding().detail()).contains("more than 3 members", "\"m3\"");
                });
    }

    @Test
    void totalSizeCountsEveryMemberAndStopsWhileCopying() throws IOException {
        ExpansionBudget budget = budget(settings(100, 10_000, 1_000_000, Duration.ofSeconds(30)));
        budget.copy(new ByteArrayInputStream(new byte[6000]), "first", 0).close();
        assertThatThrownBy(() -> budget.copy(new ZeroStream(Long.MAX_VALUE), "second", 0))
                .isInstanceOfSatisfying(LimitReachedException.class,
                        e -> assertThat(e.finding().kind()).isEqualTo(Finding.Kind.SIZE));
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aMemberFarLargerThanItsPackedSizeIsABomb() {
        ExpansionBudget budget = budget(settings(100, 1L << 40, 100, Duration.ofSeconds(30)));
        // An endless stream of zeros "packed" into 10 KiB: stopped at 100 times that once past 1 MiB.
        assertThatThrownBy(() -> budget.copy(new ZeroStream(Long.MAX_VALUE), "bomb.bin", 10 * 1024))
                .isInstanceOfSatisfying(LimitReachedException.class, e -> {
                    assertThat(e.finding().kind()).isEqualTo(Finding.Kind.RATIO);
                    assertThat(e.finding().detail()).contains("\"bomb.bin\"", "decompression bomb");
                });
        assertThat(budget.unpacked()).isLessThan(2L * 1024 * 1024);
    }

    @Test
    void smallMembersMayCompressWellAndStoredOnesAreNotRatioChecked() throws IOException {
        ExpansionBudget budget = budget(settings(100, 1L << 40, 100, Duration.ofSeconds(30)));
        budget.copy(new ZeroStream(512 * 1024), "small", 10).close();
        budget.copy(new ZeroStream(3 * 1024 * 1024), "stored", 0).close();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void timeIsUpWhileCopying() {
        ExpansionBudget budget = budget(settings(100, 1L << 40, 100, Duration.ofSeconds(30)));
        InputStream slow = new ZeroStream(Long.MAX_VALUE) {
            @Override
            public int read(byte[] b, int off, int len) {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
                return super.read(b, off, len);
            }
        };
        assertThatThrownBy(() -> budget.copy(slow, "slow", 0)).isInstanceOfSatisfying(LimitReachedException.class,
                e -> assertThat(e.finding().kind()).isEqualTo(Finding.Kind.TIME));
    }

    @Test
    void anInterruptedThreadStops() {
        ExpansionBudget budget = budget(ExpansionSettings.defaults());
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(budget::checkTime).isInstanceOf(InterruptedIOException.class);
        } finally {
            Thread.interrupted();
        }
    }

    private ExpansionBudget budget(ExpansionSettings settings) {
        return new ExpansionBudget(settings, SampleSpool.under(dir), now::get);
    }

    private static ExpansionSettings settings(int members, long size, int ratio, Duration time) {
        return new ExpansionSettings(true, 8, members, size, ratio, 1024 * 1024, time, List.of(), true, 10,
                Result.BAD, Result.BAD, Result.FAILED, Result.FAILED);
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** Zeros, {@code length} of them, without holding them. */
    private static class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
