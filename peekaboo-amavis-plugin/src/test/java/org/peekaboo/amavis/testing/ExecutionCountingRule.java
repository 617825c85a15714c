package org.peekaboo.amavis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * A test-only rule placed right after {@code known}: it counts, per declared name, the samples
 * that really get analysed (a sample answered from the store never reaches it), and holds
 * samples whose declared name or whose content starts with {@value #SLOW_PREFIX} for a while,
 * so that they outlast the request deadline (the content, for clients that send part files
 * without names, such as amavis' clamd entries). It never decides anything.
 */
public final class ExecutionCountingRule implements Rule {
    public static final String NAME = "counting_for_tests";
    public static final String SLOW_PREFIX = "slow-";

    private final Duration slowness;
    private final Consumer<String> onSlowStart;
    private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

    /**
     * @param onSlowStart told the declared name when a slow sample starts waiting, e.g. to let
     *                    another process know that the analysis is under way
     */
    public ExecutionCountingRule(Duration slowness, Consumer<String> onSlowStart) {
        this.slowness = slowness;
        this.onSlowStart = onSlowStart;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** How many times samples declared under this name were analysed past {@code known}. */
    public int executions(String nameDeclared) {
        AtomicInteger count = executions.get(nameDeclared);
        return count == null ? 0 : count.get();
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws InterruptedException {
        String name = context.sample().nameDeclared();
        if (name != null) {
            executions.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
        }
        if (name != null && name.startsWith(SLOW_PREFIX)) {
            onSlowStart.accept(name);
            Thread.sleep(slowness.toMillis());
        } else if (contentStartsSlow(context)) {
            onSlowStart.accept(name == null ? "" : name);
            Thread.sleep(slowness.toMillis());
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "Counted by the test rule");
    }

    private static boolean contentStartsSlow(SampleContext context) {
        byte[] prefix = SLOW_PREFIX.getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = context.sample().content().openStream()) {
            return Arrays.equals(in.readNBytes(prefix.length), prefix);
        } catch (IOException e) {
            return false;
        }
    }
}
