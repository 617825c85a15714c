package org.peekaboo.lineprotocol.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.peekaboo.analysis.ScanJob;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.sample.DeclaredName;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * A scan engine that judges by path: each {@code full_name} gets the verdict configured for
 * it, or the default. It can also hold outcomes open, refuse requests and fail, so the
 * protocol's behaviour in each case can be observed. Thread-safe, for use from real servers.
 */
public final class FakeScanService implements ScanService {
    private final Map<String, SampleVerdict> verdicts = new ConcurrentHashMap<>();
    private final Map<String, Held> heldOutcomes = new ConcurrentHashMap<>();
    private final List<List<SampleDeclaration>> requests = new CopyOnWriteArrayList<>();
    private final List<Duration> patiences = new CopyOnWriteArrayList<>();
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
        return new Sample(TestContents.empty(), sha256, 0, name, declaration.typeDeclared(),
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

    /** Files stay undecided until {@link #release} or {@link #fail} is called for the path. */
    public FakeScanService holdingOutcomes() {
        this.holdOutcomes = true;
        return this;
    }

    /** {@code start} returns a job that never completes. */
    public FakeScanService holdingStart() {
        this.holdStart = true;
        return this;
    }

    /** {@code start} returns a job failed with {@code failure}. */
    public FakeScanService failingStartWith(RuntimeException failure) {
        this.startFailure = failure;
        return this;
    }

    /** {@code start} throws {@code failure} instead of returning a job. */
    public FakeScanService throwingOnStart(RuntimeException failure) {
        this.startThrows = failure;
        return this;
    }

    /** Files are decided on {@code executor} instead of in the caller, like a real engine. */
    public FakeScanService completingOn(Executor executor) {
        this.completionExecutor = executor;
        return this;
    }

    @Override
    public ScanJob start(List<SampleDeclaration> declarations, Duration patience) {
        requests.add(List.copyOf(declarations));
        patiences.add(patience);
        if (startThrows != null) {
            throw startThrows;
        }
        ScanJob job = new ScanJob(declarations.size());
        if (startFailure != null) {
            job.reject(startFailure);
            return job;
        }
        if (holdStart) {
            return job;
        }
        for (int i = 0; i < declarations.size(); i++) {
            SampleDeclaration declaration = declarations.get(i);
            int index = i;
            if (holdOutcomes) {
                heldOutcomes.put(declaration.fullName(), new Held(job, index));
                continue;
            }
            Executor executor = completionExecutor;
            if (executor == null) {
                job.decide(index, judged(declaration));
            } else {
                executor.execute(() -> job.decide(index, judged(declaration)));
            }
        }
        return job;
    }

    private JudgedSample judged(SampleDeclaration declaration) {
        return new JudgedSample(sampleFor(declaration), verdicts.getOrDefault(declaration.fullName(), defaultVerdict));
    }

    /** Decides the held file {@code fullName} with its configured verdict. */
    public void release(String fullName) {
        Held held = held(fullName);
        held.job().decide(held.index(), judged(SampleDeclaration.ofPath(fullName)));
        heldOutcomes.remove(fullName);
    }

    /** Fails the held file's whole job with {@code failure}, as an engine that broke down would. */
    public void fail(String fullName, RuntimeException failure) {
        held(fullName).job().reject(failure);
        heldOutcomes.remove(fullName);
    }

    /** Whether {@code fullName} is held and still undecided. */
    public boolean isOpen(String fullName) {
        Held held = heldOutcomes.get(fullName);
        return held != null && !held.job().done().isDone();
    }

    private Held held(String fullName) {
        Held held = heldOutcomes.get(fullName);
        if (held == null) {
            throw new IllegalStateException("no held outcome for " + fullName + "; held: " + heldOutcomes.keySet());
        }
        return held;
    }

    /** How long each request's client was said to wait, in order. */
    public List<Duration> patiences() {
        return List.copyOf(patiences);
    }

    private record Held(ScanJob job, int index) {
    }

    /** Every request the fake was asked to start, in order. */
    public List<List<SampleDeclaration>> requests() {
        return List.copyOf(requests);
    }
}
