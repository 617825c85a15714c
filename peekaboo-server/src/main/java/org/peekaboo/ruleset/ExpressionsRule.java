package org.peekaboo.ruleset;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.peekaboo.ruleset.expression.EvaluationException;
import org.peekaboo.ruleset.expression.Evaluator;
import org.peekaboo.ruleset.expression.Implication;
import org.peekaboo.ruleset.expression.ReportUnavailableException;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PeekabooAV's {@code expressions} rule: the configured expressions are tried in order and
 * the first whose condition holds decides, with whatever result it names — {@code unknown}
 * included — and the ruleset stops. Reports are computed only when an expression that is
 * evaluated needs them. A report that cannot be obtained, or an expression that cannot be
 * evaluated, ends the rule {@code failed}: skipping the expression could pass a sample it
 * was written to catch. The exception is a report of a document that can never be analysed
 * (encrypted with an unknown password, corrupt): a retry would fail the same way, so the rule
 * answers the configured final result at once, as the Office rules do.
 *
 * @param expressions the configured expressions, in order
 * @param sources     the reports expressions may name, by identifier
 * @param undecidable what to answer when a report is of a document that can never be analysed
 */
public record ExpressionsRule(List<Configured> expressions, Map<String, ReportSource<?>> sources,
        UndecidableDocuments undecidable) implements Rule {
    public static final String NAME = "expressions";
    public static final String NONE_MATCHED = "No expression classified the sample";

    private static final Logger LOG = LoggerFactory.getLogger(ExpressionsRule.class);

    public ExpressionsRule {
        expressions = List.copyOf(expressions);
        sources = Map.copyOf(sources);
        Objects.requireNonNull(undecidable, "undecidable");
        if (expressions.isEmpty()) {
            throw new IllegalArgumentException(NAME + " needs at least one expression");
        }
    }

    /**
     * One configured expression.
     *
     * @param key        the option it was configured as, e.g. {@code expression.4}: the
     *                   distinguisher an operator finds in the file
     * @param expression the parsed expression
     */
    public record Configured(String key, Implication expression) {
        public Configured {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expression, "expression");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        Evaluator evaluator = new Evaluator(identifier -> {
            ReportSource<?> source = sources.get(identifier);
            if (source == null) {
                throw new IllegalStateException("no report source for " + identifier + " is configured");
            }
            return context.report(source);
        });
        for (Configured configured : expressions) {
            String key = configured.key();
            Object value;
            try {
                if (!evaluator.holds(configured.expression().condition())) {
                    continue;
                }
                value = evaluator.evaluate(configured.expression().target());
            } catch (ReportUnavailableException e) {
                if (e.getCause() instanceof UndecidableDocumentException never) {
                    LOG.warn("Expression {} of sample {} {}", key, context.sample().sha256(), e.getMessage());
                    LOG.debug("Why sample {} cannot be analysed", context.sample().sha256(), never);
                    return undecidable.resultFor(NAME, never);
                }
                LOG.warn("Expression {} of sample {} {}", key, context.sample().sha256(), e.getMessage(), e.getCause());
                return RuleResult.stop(NAME, Result.FAILED, "Expression " + key + " " + e.getMessage());
            } catch (EvaluationException e) {
                LOG.warn("Expression {} cannot be evaluated for sample {}: {}", key, context.sample().sha256(),
                        e.getMessage());
                return RuleResult.stop(NAME, Result.FAILED, "Expression " + key + " cannot be evaluated: "
                        + e.getMessage());
            }
            if (value instanceof Result result && result != Result.UNCHECKED) {
                return RuleResult.stop(NAME, result, "The expression " + key + " classified the sample as "
                        + result.label());
            }
            LOG.warn("Expression {} matched sample {} but yielded {} instead of a result", key,
                    context.sample().sha256(), value);
            return RuleResult.stop(NAME, Result.FAILED, "Expression " + key + " matched but yielded "
                    + describe(value) + " instead of a result (bad, fail, good, ignore, unknown)");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, NONE_MATCHED);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Result result) {
            return "the result " + result.label() + ", which rules cannot give";
        }
        return "'" + value + "'";
    }
}
