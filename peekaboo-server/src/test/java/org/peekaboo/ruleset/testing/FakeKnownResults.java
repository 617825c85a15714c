package org.peekaboo.ruleset.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.peekaboo.ruleset.KnownResults;
import org.peekaboo.verdict.Result;

/**
 * An in-memory result cache honouring the {@link KnownResults} contract (worst result,
 * failed and excluded job left out), recording every question asked.
 */
public final class FakeKnownResults implements KnownResults {
    private final List<Entry> finished = new ArrayList<>();
    private final List<Query> queries = new ArrayList<>();
    private int failing;

    /** A finished analysis of {@code identity}. */
    public FakeKnownResults add(String identity, StoredResult result) {
        finished.add(new Entry(identity, result));
        return this;
    }

    /** The next {@code count} look-ups of {@link #worstFinished} fail, as a store that cannot be reached. */
    public FakeKnownResults failingLookUps(int count) {
        failing = count;
        return this;
    }

    public List<Query> queries() {
        return List.copyOf(queries);
    }

    @Override
    public Optional<StoredResult> worstFinished(String identity, long excludingJobId) {
        queries.add(new Query(identity, excludingJobId));
        if (failing > 0) {
            failing--;
            throw new IllegalStateException("the store cannot be reached");
        }
        return finished.stream()
                .filter(entry -> entry.identity().equals(identity))
                .map(Entry::result)
                .filter(result -> result.jobId() != excludingJobId)
                .filter(result -> result.result() != Result.FAILED)
                .max(Comparator.comparing(StoredResult::result));
    }

    @Override
    public Optional<History> history(String identity, long excludingJobId) {
        queries.add(new Query(identity, excludingJobId));
        return History.of(finished.stream()
                .filter(entry -> entry.identity().equals(identity))
                .map(Entry::result)
                .filter(result -> result.jobId() != excludingJobId)
                .filter(result -> result.result() != Result.FAILED && result.result() != Result.UNCHECKED)
                .toList());
    }

    public record Query(String identity, long excludingJobId) {
    }

    private record Entry(String identity, StoredResult result) {
    }
}
