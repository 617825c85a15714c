package org.peekaboo.sample.magic;

import java.util.Comparator;

/**
 * One magic rule: a type, its priority and one top-level {@code <match>} of its
 * {@code <magic>} element (Tika makes each top-level match a rule of its own).
 *
 * @param type     the media type as Tika names it, parameters included
 * @param priority the {@code <magic>} element's priority
 * @param clause   the condition
 * @param size     Tika's size of the condition, its second ordering key
 * @param tikaText Tika's text of the rule, its last ordering key
 */
record MagicRule(String type, int priority, MagicClause clause, int size, String tikaText) {

    /**
     * Tika's order of evaluation, and so of precedence, since the first rule that matches
     * decides: higher priority first, then larger size, then type names and rule texts in
     * descending order.
     */
    static final Comparator<MagicRule> TIKA_ORDER = Comparator.comparingInt(MagicRule::priority).reversed()
            .thenComparing(Comparator.comparingInt(MagicRule::size).reversed())
            .thenComparing(Comparator.comparing(MagicRule::type).reversed())
            .thenComparing(Comparator.comparing(MagicRule::tikaText).reversed());

    MagicRule(String type, int priority, MagicClause clause) {
        this(type, priority, clause, clause.size(), "[" + priority + "/" + clause.tikaText() + "]");
    }
}
