package org.peekaboo.ruleset;

import java.util.Objects;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * What an Office rule answers for a document that can never be analysed, by kind
 * ({@code encrypted_result}, {@code unreadable_result}; docs/ruleset.md explains the defaults).
 * Only {@code bad} ends the ruleset: any milder answer lets the later rules still look at the file.
 */
public record UndecidableDocuments(Result encryptedResult, Result unreadableResult) {
    /** Neither kind can run a macro when opened (see docs/ruleset.md), so neither is bad by default. */
    public static final UndecidableDocuments DEFAULT = new UndecidableDocuments(Result.IGNORED, Result.IGNORED);

    public UndecidableDocuments {
        Objects.requireNonNull(encryptedResult, "encryptedResult");
        Objects.requireNonNull(unreadableResult, "unreadableResult");
        if (encryptedResult == Result.UNCHECKED || unreadableResult == Result.UNCHECKED) {
            throw new IllegalArgumentException("a rule never answers unchecked");
        }
    }

    /** The final answer of {@code rule} for the document {@code failure} describes. */
    public RuleResult resultFor(String rule, UndecidableDocumentException failure) {
        Result result = failure.kind() == UndecidableDocumentException.Kind.ENCRYPTED
                ? encryptedResult : unreadableResult;
        String reason = failure.kind() == UndecidableDocumentException.Kind.ENCRYPTED
                ? "The document is encrypted with a password other than Office's default ones; its macros cannot be"
                        + " analysed"
                : "The document cannot be analysed: " + failure.getMessage();
        return result == Result.BAD ? RuleResult.stop(rule, result, reason) : RuleResult.proceed(rule, result, reason);
    }
}
