/**
 * Apache Tika's content type detection, computed from Tika's own rules at a small
 * fraction of Tika's cost: {@link org.peekaboo.sample.magic.TikaMagic}.
 *
 * <p>Why: detecting the type of a new small sample was 44 % of the daemon's CPU, nearly
 * all of it in Tika's {@code MagicDetector}, which copies a window of content for each of
 * its ~850 rules, scans offset ranges far beyond the end of short files and compiles
 * regular expressions on every try; a text file, which no rule matches, pays for all of
 * them. The rulesets' type lists are written against Tika's answers, so the answers must
 * stay exactly Tika's.
 *
 * <p>How: {@code TikaMagicReader} reads the rules from {@code tika-mimetypes.xml} inside
 * tika-core (so they change with Tika) into {@code MagicRule}s of {@code MagicClause}s,
 * ordered as Tika orders them. Each distinct test is a {@code PatternCheck} with Tika's
 * semantics, zero padding and all, evaluated in place; a {@code Probe} remembers test
 * results and where the opening bytes of ranged patterns occur, for one detection. Rules
 * are indexed by the first bytes they accept. What Tika does after its rules (XML root
 * element, HTML fallback) is delegated to Tika's public classes; its text check is
 * reproduced by {@code TextCheck}. {@code TikaMagicDifferentialTest} holds all of this
 * against Tika itself.
 */
package org.peekaboo.sample.magic;
