package org.peekaboo.ruleset.testing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.peekaboo.ruleset.KnownResults;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Holds every sample whose declared name starts with {@code held-} until the test opens the
 * gate: the sample stays in flight, its lock row held, while the test looks.
 */
public record GateRule(CountDownLatch gate) implements Rule {
    /**
     * The built-in ruleset with this rule after the known rule, so that a sample judged before is
     * answered without waiting.
     */
    public static LoadedRuleset builtInWith(CountDownLatch gate, KnownResults known, FileTypeDetector detector,
                                            List<ReportSource<?>> reports) {
        LoadedRuleset builtIn = new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn();
        List<Rule> rules = new ArrayList<>(builtIn.ruleset().rules());
        rules.add(1, new GateRule(gate));
        return new LoadedRuleset(new Ruleset(rules, detector), builtIn.warnings());
    }

    @Override
    public String name() {
        return "gate_for_tests";
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws InterruptedException {
        String name = context.sample().nameDeclared();
        if (name != null && name.startsWith("held-")) {
            gate.await();
        }
        return RuleResult.proceed(name(), Result.UNKNOWN, "Test gate passed");
    }
}
