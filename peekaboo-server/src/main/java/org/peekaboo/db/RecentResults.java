package org.peekaboo.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.LongFunction;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The worst usable result of recently seen identities, for a database that only this process
 * writes (the embedded H2 file). Then every result passes through the store, so what it read
 * once stays true: later results are merged in as they are written, and only age can make an
 * entry stale. Retried mails and mass mailings, the samples asked about again and again, are
 * then answered without a query.
 *
 * <p>An entry is created only by reading the database (absent results included), and updated
 * only while it exists, both atomically per identity: a result written while its identity is
 * being read either is in what the read returns or is merged into its entry afterwards.
 */
final class RecentResults {
    /**
     * Identities remembered: at about 350 bytes each some 7 MB, the samples of several hours of
     * a busy gateway, which covers the retries of a tempfailed mail.
     */
    static final int CAPACITY = 20_000;

    /** Worst first, as the store's look-up orders them: severity, then the most recent, then the latest job. */
    private static final Comparator<StoredResult> WORSE = Comparator
            .comparing(StoredResult::result)
            .thenComparing(StoredResult::finishedAt)
            .thenComparingLong(StoredResult::jobId);

    private final Cache<String, Optional<StoredResult>> worst = Caffeine.newBuilder().maximumSize(CAPACITY).build();

    /**
     * The worst usable result of {@code identity} other than job {@code excludingJobId} that
     * finished at or after {@code oldestUsable}: from memory when that is known, otherwise from
     * {@code database} (which answers for a job to leave out), whose answer is remembered when it
     * is the identity's worst overall.
     */
    Optional<StoredResult> worstFinished(String identity, long excludingJobId, Instant oldestUsable,
                                         LongFunction<Optional<StoredResult>> database) {
        Optional<StoredResult> known = worst.asMap().computeIfAbsent(identity,
                key -> database.apply(SampleVerdict.NO_JOB));
        if (known.isEmpty()) {
            return known;
        }
        StoredResult result = known.get();
        if (result.jobId() == excludingJobId) {
            // The answer without that job is not what memory holds.
            return database.apply(excludingJobId);
        }
        if (result.finishedAt().isBefore(oldestUsable)) {
            // Too old to be reused; a younger, milder result may be the worst usable one now.
            return worst.asMap().compute(identity, (key, stale) -> database.apply(SampleVerdict.NO_JOB));
        }
        return known;
    }

    /** A result this store has just written; merged into its identity's entry, if there is one. */
    void written(String identity, long jobId, Result result, String reason, Instant finishedAt) {
        if (result == Result.FAILED || result == Result.UNCHECKED) {
            return;
        }
        StoredResult written = new StoredResult(jobId, result, reason, finishedAt);
        worst.asMap().computeIfPresent(identity, (key, known) -> known.isEmpty()
                || WORSE.compare(written, known.get()) > 0 ? Optional.of(written) : known);
    }
}
