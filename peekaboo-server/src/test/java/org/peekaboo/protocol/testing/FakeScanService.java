package org.peekaboo.protocol.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.ruleset.RuleResult;
import org.peekaboo.ruleset.SampleVerdict;
import org.peekaboo.sample.DeclaredName;
import org.peekaboo.sample.Result;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleIdentity;

/**
 * A scan engine that judges by path: each {@code full_name} gets the verdict configured for
 * it, or the default. It can also hold outcomes open, refuse requests and fail, so the
 * protocol's behaviour in each case can be observed. Thread-safe, for use from real servers.
 */
public final class FakeScanService implements ScanService {
    private final Map<String, SampleVerdict> verdicts = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JudgedSample>> heldOutcomes = new ConcurrentHashMap<>();
    private final List<List<SampleDeclaration>> requests = new CopyOnWriteArrayList<>();
    private volatile SampleVerdict defaultVerdict = verdict(
            RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"),
            RuleResult.stop("final_rule", Result.UNKNOWN, "File has not been classified"));
    private volatile boolean holdOutcomes;
    private volatile boolean holdStart;
    private volatile RuntimeException startFailure;
    private volatile RuntimeException startThrows;
    private volatile Executor completionExecutor;

    /** A verdict folded from rule results the way the ruleset does. */
    public static SampleVerdict verdict(RuleResult... report) {
        return SampleVerdict.of(List.of(report), 1);
    }

    /** The sample the fake pretends to have read: hashes the path instead of content. */
    public static Sample sampleFor(SampleDeclaration declaration) {
        String sha256 = sha256Hex(declaration.fullName());
        String name = DeclaredName.basename(declaration.nameDeclared());
        return new Sample(Path.of(declaration.fullName()), sha256, 0, name, declaration.typeDeclared(),
                declaration.contentDisposition(),
                SampleIdentity.of(sha256, name, declaration.typeDeclared(), declaration.contentDisposition()));
    }

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public FakeScanService withDefaultVerdict(SampleVerdict verdict) {
        this.defaultVerdict = Objects.requireNonNull(verdict);
        return this;
    }

    public FakeScanService withVerdict(String fullName, SampleVerdict verdict) {
        verdicts.put(fullName, verdict);
        return this;
    }

    /** Outcomes stay open until {@link #release} or {@link #fail} is called for the path. */
    public FakeScanService holdingOutcomes() {
        this.holdOutcomes = true;
        return this;
    }

    /** {@code start} returns a future that never completes. */
    public FakeScanService holdingStart() {
        this.holdStart = true;
        return this;
    }

    /** {@code start} returns a future failed with {@code failure}. */
    public FakeScanService failingStartWith(RuntimeException failure) {
        this.startFailure = failure;
        return this;
    }

    /** {@code start} throws {@code failure} instead of returning a future. */
    public FakeScanService throwingOnStart(RuntimeException failure) {
        this.startThrows = failure;
        return this;
    }

    /** Outcomes complete on {@code executor} instead of in the caller, like a real engine. */
    public FakeScanService completingOn(Executor executor) {
        this.completionExecutor = executor;
        return this;
    }

    @Override
    public CompletableFuture<List<PendingSample>> start(List<SampleDeclaration> declarations) {
        requests.add(List.copyOf(declarations));
        if (startThrows != null) {
            throw startThrows;
        }
        if (startFailure != null) {
            return CompletableFuture.failedFuture(startFailure);
        }
        if (holdStart) {
            return new CompletableFuture<>();
        }
        List<PendingSample> pending = new ArrayList<>(declarations.size());
        for (SampleDeclaration declaration : declarations) {
            pending.add(new PendingSample(declaration, outcome(declaration)));
        }
        return CompletableFuture.completedFuture(pending);
    }

    private CompletableFuture<JudgedSample> outcome(SampleDeclaration declaration) {
        JudgedSample judged = new JudgedSample(sampleFor(declaration),
                verdicts.getOrDefault(declaration.fullName(), defaultVerdict));
        if (holdOutcomes) {
            CompletableFuture<JudgedSample> held = new CompletableFuture<>();
            heldOutcomes.put(declaration.fullName(), held);
            return held;
        }
        Executor executor = completionExecutor;
        return executor == null
                ? CompletableFuture.completedFuture(judged)
                : CompletableFuture.supplyAsync(() -> judged, executor);
    }

    /** Completes the held outcome of {@code fullName} with its configured verdict. */
    public void release(String fullName) {
        SampleDeclaration declaration = SampleDeclaration.ofPath(fullName);
        held(fullName).complete(new JudgedSample(sampleFor(declaration),
                verdicts.getOrDefault(fullName, defaultVerdict)));
    }

    /** Completes the held outcome of {@code fullName} exceptionally. */
    public void fail(String fullName, RuntimeException failure) {
        held(fullName).completeExceptionally(failure);
    }

    /** Whether the outcome of {@code fullName} is held and still open. */
    public boolean isOpen(String fullName) {
        CompletableFuture<JudgedSample> held = heldOutcomes.get(fullName);
        return held != null && !held.isDone();
    }

    private CompletableFuture<JudgedSample> held(String fullName) {
        CompletableFuture<JudgedSample> held = heldOutcomes.get(fullName);
        if (held == null) {
            throw new IllegalStateException("no held outcome for " + fullName + "; held: " + heldOutcomes.keySet());
        }
        return held;
    }

    /** Every request the fake was asked to start, in order. */
    public List<List<SampleDeclaration>> requests() {
        return List.copyOf(requests);
    }
}
