package org.peekaboo.analysis;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The identities being judged in this process right now. Identical samples in flight at the same
 * time are judged once: the first one claims its identity, the later ones wait for its verdict.
 * The verdict is settled only after it was stored, so a sample that arrives afterwards finds it
 * in the store instead.
 */
final class InFlight {
    private final Map<String, CompletableFuture<SampleVerdict>> judging = new ConcurrentHashMap<>();

    /** Claims {@code identity}; the caller judges it when {@link Claim#first()} and must then settle the claim. */
    Claim claim(String identity) {
        CompletableFuture<SampleVerdict> mine = new CompletableFuture<>();
        CompletableFuture<SampleVerdict> running = judging.putIfAbsent(identity, mine);
        return running == null ? new Claim(identity, mine, true) : new Claim(identity, running, false);
    }

    /** Publishes the verdict of a claim its caller judged, to the samples waiting for it. */
    void settle(Claim claim, SampleVerdict verdict) {
        judging.remove(claim.identity(), claim.verdict());
        claim.verdict().complete(verdict);
    }

    /** Answers every sample still waiting for a claim's verdict, e.g. when its judge was abandoned at shutdown. */
    void abandonAll(SampleVerdict verdict) {
        judging.values().forEach(running -> running.complete(verdict));
    }

    /** A claim on an identity: the first one's, or a later one's that waits for the first one's verdict. */
    record Claim(String identity, CompletableFuture<SampleVerdict> verdict, boolean first) {
        /** The verdict of the sample that claimed the identity first. */
        SampleVerdict await() throws InterruptedException {
            try {
                return verdict.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a claim's verdict is never completed exceptionally", e);
            }
        }
    }
}
