package org.peekaboo.lineprotocol;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.peekaboo.verdict.Verdict;

/**
 * The lines about one file, kept apart so that a report too long for the mail filter can
 * leave some of them out (see {@link ReplyBudget}).
 *
 * @param verdict     the file's verdict, which decides what a shortened report keeps
 * @param analyzing   {@code File "p001" sha256 … is being analyzed}
 * @param rules       one line per rule that ran, in order
 * @param verdictLine {@code File "p001" verdict "…" (…)}, the line mail filters take virus names from
 */
record FileReport(Verdict verdict, ResponseLine analyzing, List<ResponseLine> rules, ResponseLine verdictLine) {
    FileReport {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(analyzing, "analyzing");
        rules = List.copyOf(rules);
        Objects.requireNonNull(verdictLine, "verdictLine");
    }

    /** Every line, as the full report has them. */
    List<ResponseLine> lines() {
        return Stream.concat(Stream.concat(Stream.of(analyzing), rules.stream()), Stream.of(verdictLine)).toList();
    }

    /** The file and its verdict, without the rule lines. */
    List<ResponseLine> withoutRules() {
        return List.of(analyzing, verdictLine);
    }
}
