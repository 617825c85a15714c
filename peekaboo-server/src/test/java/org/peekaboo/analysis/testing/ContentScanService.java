package org.peekaboo.analysis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.peekaboo.analysis.ScanJob;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * An engine for front-end tests that judges files by their content: bad when they hold
 * {@link #EVIL}, good otherwise. It can hold verdicts back, refuse requests and answer
 * {@code unchecked}, and records what it was asked.
 */
public final class ContentScanService implements ScanService {
    public static final String EVIL = "EVIL-MARKER";
    /** Every file's content as read, in ISO-8859-1. */
    public final List<String> contents = new CopyOnWriteArrayList<>();
    public final List<SampleDeclaration> declarations = new CopyOnWriteArrayList<>();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    /** Keeps verdicts back until {@link #releaseAll()}. */
    public volatile boolean hold;
    /** Decides every file {@code unchecked}, as an overloaded engine does. */
    public volatile boolean unchecked;
    /** Refuses every request with this. */
    public volatile RuntimeException failure;

    @Override
    public ScanJob start(List<SampleDeclaration> requested, Duration patience) {
        ScanJob job = new ScanJob(requested.size());
        if (failure != null) {
            job.reject(failure);
            return job;
        }
        for (int i = 0; i < requested.size(); i++) {
            int index = i;
            declarations.add(requested.get(i));
            String content;
            try {
                content = Files.readString(Path.of(requested.get(i).fullName()), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            contents.add(content);
            SampleVerdict verdict = SampleVerdict.of(List.of(unchecked
                    ? RuleResult.stop("overload", Result.UNCHECKED, "overloaded")
                    : content.contains(EVIL)
                    ? RuleResult.stop("evil rule", Result.BAD, "has the marker")
                    : RuleResult.stop("fine", Result.GOOD, "no marker")), 1);
            Runnable decide = () -> job.decide(index, new JudgedSample(null, verdict));
            if (hold) {
                held.add(decide);
            } else {
                decide.run();
            }
        }
        return job;
    }

    /** Decides every file held back so far. */
    public void releaseAll() {
        List<Runnable> toRun = List.copyOf(held);
        held.clear();
        toRun.forEach(Runnable::run);
    }
}
