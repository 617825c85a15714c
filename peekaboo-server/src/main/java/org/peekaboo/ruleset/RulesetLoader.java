package org.peekaboo.ruleset;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.ConfigLocation;
import org.peekaboo.config.ConfigWarning;
import org.peekaboo.config.IniDocument;
import org.peekaboo.config.IniSection;
import org.peekaboo.config.IniValue;
import org.peekaboo.config.SectionReader;
import org.peekaboo.ruleset.expression.Expr;
import org.peekaboo.ruleset.expression.ExpressionSyntaxException;
import org.peekaboo.ruleset.expression.Implication;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.verdict.Result;

/**
 * Builds the ruleset from a PeekabooAV-style {@code ruleset.conf}: the enabled rules and
 * their order come from {@code [rules] rule.N}, each rule's options from the section of
 * its name. Everything is checked before the daemon serves: unknown sections, rules and
 * options, wrong types and empty required lists stop the start-up with file:line.
 *
 * <p>Every expression of the {@code expressions} rule is parsed and every identifier path in
 * it checked against the reports that are available, so a typo stops the start-up with
 * the column instead of failing every sample.
 *
 * <p>Every rule PeekabooAV knows is built. Its Cuckoo rules, and its {@code cuckooreport}
 * expressions, read a sandbox reached through Cortex, so enabling them without
 * {@code cortexreport} stops the start-up; the error names every rule and expression that
 * needs what is missing, so that one attempt tells the operator all of it.
 * Its Office rules read the macro analysis, {@code olereport}, which the loader is given
 * like {@code cortexreport} rather than making it: the ruleset does not depend on how Office
 * documents are taken apart.
 */
public final class RulesetLoader {
    public static final String RULES_SECTION = "rules";
    public static final String RULE_LIST = "rule";

    public static final String EXPRESSIONS = ExpressionsRule.NAME;
    public static final String CUCKOO_EVIL_SIG = "cuckoo_evil_sig";
    public static final String CUCKOO_SCORE = "cuckoo_score";
    public static final String OFFICE_MACRO = "office_macro";
    public static final String OFFICE_MACRO_WITH_SUSPICIOUS_KEYWORD = "office_macro_with_suspicious_keyword";
    public static final String OFFICE_MACRO_DROPPER = "office_macro_dropper";
    public static final String REQUESTS_EVIL_DOMAIN = "requests_evil_domain";
    public static final String CUCKOO_ANALYSIS_FAILED = "cuckoo_analysis_failed";

    /** Every rule PeekabooAV knows, in the order of its documentation, then Peekaboo's own. */
    public static final Set<String> KNOWN_RULES = orderedSet(
            KnownRule.NAME, FileLargerThanRule.NAME, EXPRESSIONS, FileTypeOnWhitelistRule.NAME,
            FileTypeOnGreylistRule.NAME, CUCKOO_EVIL_SIG, CUCKOO_SCORE, OFFICE_MACRO,
            OFFICE_MACRO_WITH_SUSPICIOUS_KEYWORD, REQUESTS_EVIL_DOMAIN, CUCKOO_ANALYSIS_FAILED,
            ContainsPeekabooYarRule.NAME, FinalRule.NAME, OFFICE_MACRO_DROPPER, ScriptAttachmentRule.NAME,
            WindowsShortcutRule.NAME, HtmlSmugglingRule.NAME, PdfDropperRule.NAME,
            RtfDropperRule.NAME, DiskImageRule.NAME, RarArchiveRule.NAME);

    public static final double DEFAULT_CUCKOO_SCORE_HIGHER_THAN = 4.0;
    public static final String CORTEX_REPORT = "cortexreport";
    public static final String CUCKOO_REPORT = CuckooReport.NAME;
    public static final String OLE_REPORT = "olereport";
    public static final String DEFAULT_SANDBOX = "CuckooSandboxFileReport";
    public static final String CAPE_SANDBOX = "CAPEv2FileReport";
    private static final List<String> SANDBOX_REPORTS = List.of(DEFAULT_SANDBOX, CAPE_SANDBOX);
    public static final List<String> DEFAULT_CUCKOO_ANALYSIS_SUCCESS = List.of("analysis completed successfully");

    private static final long MAX_FILE_LARGER_THAN_BYTES = 1L << 40;
    private static final List<String> LOG_LEVELS = List.of("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG");

    /** Reports computed from another one, which they are available with. */
    private static final Map<String, String> DERIVED_REPORTS = Map.of(CUCKOO_REPORT, CORTEX_REPORT);

    /**
     * The reports this loader may not have been given: what they need, and what to do about it
     * when the caller did not say (with an {@link UnavailableReport}).
     */
    private static final Map<String, Missing> MISSING_REPORTS = Map.of(
            CORTEX_REPORT, new Missing("Cortex", "name an analyzers.conf with [analyzers] config in peekaboo.conf"
                    + " (Peekaboo reaches Cuckoo and CAPE through Cortex, not directly)"),
            OLE_REPORT, new Missing("the analysis of Office macros (" + OLE_REPORT + ")",
                    "it was not given to the ruleset loader"));

    private record Missing(String what, String defaultAdvice) {
    }

    private final KnownResults known;
    private final FileTypeDetector detector;
    private final Map<String, ReportSource<?>> reportSources;
    private final Map<String, String> unavailable;

    /**
     * A loader offering expressions the reports {@code sample}, {@code filereport} and
     * {@code knownreport}, without Office macro analysis and without Cortex.
     */
    public RulesetLoader(KnownResults known, FileTypeDetector detector) {
        this(known, detector, Clock.systemUTC(), List.of());
    }

    /**
     * @param clock        tells the age of earlier analyses ({@code knownreport.first})
     * @param moreReports  further reports for expressions and the rules that need them:
     *                     {@code olereport}, whose reports are {@link MacroReport}s, for the
     *                     Office rules, {@code cortexreport} for the sandbox rules; each under its
     *                     {@link ReportSource#name()}; one named like a built-in report
     *                     replaces it. An {@link UnavailableReport} says why a report is
     *                     missing, for the errors of rules that need it. With
     *                     {@code cortexreport} comes {@code cuckooreport}, read from
     *                     {@code cortexreport.CuckooSandboxFileReport}.
     *                     Rules and expressions compute a report through the
     *                     one source given, so the {@link SampleContext}, which caches by
     *                     source, computes it once per sample: a document is analysed once.
     */
    public RulesetLoader(KnownResults known, FileTypeDetector detector, Clock clock,
                         List<ReportSource<?>> moreReports) {
        this.known = Objects.requireNonNull(known, "known");
        this.detector = Objects.requireNonNull(detector, "detector");
        Map<String, ReportSource<?>> sources = new LinkedHashMap<>();
        for (ReportSource<?> source : List.of(new SampleReport.Source(), new FileTypesReport.Source(),
                new KnownReport.Source(known, clock))) {
            sources.put(source.name(), source);
        }
        Set<String> given = new HashSet<>();
        Map<String, String> reasons = new HashMap<>();
        for (ReportSource<?> source : moreReports) {
            if (!given.add(source.name())) {
                throw new IllegalArgumentException("two report sources are named " + source.name());
            }
            if (source instanceof UnavailableReport missing) {
                reasons.put(missing.name(), missing.reason());
            } else {
                // A given source replaces a built-in one of its name on purpose, so that tests can hand
                // expressions a fake sample report.
                sources.put(source.name(), source);
            }
        }
        ReportSource<?> cortex = sources.get(CORTEX_REPORT);
        if (cortex != null) {
            sources.putIfAbsent(CUCKOO_REPORT, new CuckooReport.Source(new BehaviouralReportSource(cortex,
                    DEFAULT_SANDBOX)));
        }
        this.reportSources = Collections.unmodifiableMap(sources);
        this.unavailable = Map.copyOf(reasons);
    }

    /**
     * The ruleset used when no ruleset file is configured; see {@link DefaultRuleset}.
     *
     * @throws IllegalStateException if this loader was given no {@code olereport}, which the
     *                               built-in ruleset needs (the daemon always gives it)
     */
    public LoadedRuleset builtIn() {
        ReportSource<?> ole = reportSources.get(OLE_REPORT);
        if (ole == null) {
            throw new IllegalStateException("the built-in ruleset needs the analysis of Office macros ("
                    + OLE_REPORT + "), which was not given to the ruleset loader");
        }
        return new LoadedRuleset(DefaultRuleset.create(known, detector, new MacroReportSource(ole)), List.of());
    }

    /** Reads {@code file} and its drop files ({@code file.d/NN-*.conf}) and builds the ruleset. */
    public LoadedRuleset load(Path file) {
        return load(IniDocument.load(file));
    }

    /**
     * Builds the ruleset a parsed ruleset file describes.
     *
     * @throws ConfigException naming file and line of the first problem
     */
    public LoadedRuleset load(IniDocument doc) {
        Set<String> allowedSections = new LinkedHashSet<>();
        allowedSections.add(RULES_SECTION);
        allowedSections.addAll(KNOWN_RULES);
        doc.requireSectionsIn(allowedSections);

        List<IniValue> enabled = enabledRules(doc);
        Map<String, IniValue> enabledByName = new HashMap<>();
        for (IniValue item : enabled) {
            enabledByName.put(item.value(), item);
        }

        List<ConfigWarning> warnings = new ArrayList<>();
        List<Need> unmet = new ArrayList<>();
        Map<String, Rule> configured = new HashMap<>();
        // Every known rule's section is checked, enabled or not, so a typo in a disabled
        // rule's options surfaces now rather than on the day the rule is switched on.
        for (String name : KNOWN_RULES) {
            RuleSection section = new RuleSection(doc, name, enabledByName.get(name));
            Rule rule = configure(section);
            section.finish();
            warnings.addAll(section.reader.warnings());
            unmet.addAll(section.unmet);
            if (rule != null) {
                configured.put(name, rule);
            }
        }
        if (!unmet.isEmpty()) {
            List<String> order = enabled.stream().map(IniValue::value).toList();
            unmet.sort(Comparator.comparingInt(need -> order.indexOf(need.rule())));
            throw unmetNeeds(unmet);
        }

        List<Rule> rules = new ArrayList<>(enabled.size());
        for (IniValue item : enabled) {
            String name = item.value();
            rules.add(Objects.requireNonNull(configured.get(name), () -> "enabled rule " + name + " not built"));
        }
        return new LoadedRuleset(new Ruleset(rules, detector), warnings);
    }

    private static List<IniValue> enabledRules(IniDocument doc) {
        SectionReader reader = new SectionReader(doc, RULES_SECTION);
        List<IniValue> items = reader.rawList(RULE_LIST).orElse(List.of());
        reader.finish();
        if (items.isEmpty()) {
            String problem = "No enabled rules found; list the rules to run in order as rule.1: known, rule.2: ...";
            Optional<IniSection> section = doc.section(RULES_SECTION);
            if (section.isPresent()) {
                ConfigLocation where = section.get().location(RULE_LIST).orElse(section.get().location());
                throw new ConfigException(where, RULES_SECTION, null, problem);
            }
            throw new ConfigException(doc.files().getFirst() + ": [" + RULES_SECTION + "] " + problem);
        }
        Map<String, IniValue> seen = new HashMap<>();
        for (IniValue item : items) {
            String name = item.value();
            if (!KNOWN_RULES.contains(name)) {
                throw reader.error(item,
                        "Unknown rule \"" + name + "\"; known rules: " + String.join(", ", KNOWN_RULES));
            }
            IniValue earlier = seen.putIfAbsent(name, item);
            if (earlier != null) {
                throw reader.error(item, "Rule " + name + " is enabled twice (first as " + earlier.key() + " at "
                        + earlier.location() + ")");
            }
        }
        return items;
    }

    /**
     * Reads and checks one rule's options. Returns the rule, or null when it is not enabled
     * and lacks what it would need (its lists, Cortex).
     */
    private Rule configure(RuleSection section) {
        SectionReader reader = section.reader;
        return switch (section.name) {
            case KnownRule.NAME -> new KnownRule(known);
            case FileLargerThanRule.NAME -> new FileLargerThanRule(
                    reader.size("bytes", FileLargerThanRule.DEFAULT_BYTES, 0, MAX_FILE_LARGER_THAN_BYTES));
            case FileTypeOnWhitelistRule.NAME -> {
                List<IniValue> whitelist = section.requiredList("whitelist", "text/plain");
                yield whitelist.isEmpty() ? null : new FileTypeOnWhitelistRule(values(whitelist));
            }
            case FileTypeOnGreylistRule.NAME -> {
                List<IniValue> greylist = section.requiredList("greylist", "application/pdf");
                yield greylist.isEmpty() ? null : new FileTypeOnGreylistRule(values(greylist));
            }
            case ContainsPeekabooYarRule.NAME -> new ContainsPeekabooYarRule();
            case ScriptAttachmentRule.NAME -> new ScriptAttachmentRule();
            case WindowsShortcutRule.NAME -> new WindowsShortcutRule();
            case DiskImageRule.NAME -> new DiskImageRule(
                    result(reader, "unreadable_result", DiskImageRule.DEFAULT_UNREADABLE_RESULT));
            case HtmlSmugglingRule.NAME -> new HtmlSmugglingRule();
            case PdfDropperRule.NAME -> new PdfDropperRule();
            case RarArchiveRule.NAME -> new RarArchiveRule();
            case RtfDropperRule.NAME -> new RtfDropperRule(reportSources.get(OLE_REPORT));
            case FinalRule.NAME -> new FinalRule();
            case EXPRESSIONS -> expressions(section);
            case CUCKOO_EVIL_SIG -> {
                List<IniValue> signatures = section.requiredList("signature", "Ransomware");
                regexes(reader, signatures, 0);
                Optional<BehaviouralReportSource> sandbox = sandbox(section);
                yield sandbox.isEmpty() || signatures.isEmpty() ? null
                        : new CuckooEvilSigRule(sandbox.get(), patterns(signatures, 0));
            }
            case CUCKOO_SCORE -> {
                double higherThan = reader.real("higher_than", DEFAULT_CUCKOO_SCORE_HIGHER_THAN);
                yield sandbox(section).map(sandbox -> new CuckooScoreRule(sandbox, higherThan)).orElse(null);
            }
            case OFFICE_MACRO -> {
                UndecidableDocuments undecidable = undecidable(reader);
                yield macroReports(section).map(reports -> new OfficeMacroRule(reports, undecidable)).orElse(null);
            }
            case OFFICE_MACRO_WITH_SUSPICIOUS_KEYWORD -> {
                List<IniValue> keywords = section.requiredList("keyword", "AutoOpen");
                regexes(reader, keywords, Pattern.CASE_INSENSITIVE);
                UndecidableDocuments undecidable = undecidable(reader);
                Optional<MacroReportSource> reports = macroReports(section);
                yield reports.isEmpty() || keywords.isEmpty() ? null : new OfficeMacroWithSuspiciousKeywordRule(
                        List.copyOf(values(keywords)), reports.get(), undecidable);
            }
            case OFFICE_MACRO_DROPPER -> {
                UndecidableDocuments undecidable = undecidable(reader);
                yield macroReports(section).map(reports -> new OfficeMacroDropperRule(reports, undecidable))
                        .orElse(null);
            }
            case REQUESTS_EVIL_DOMAIN -> {
                List<IniValue> domains = section.requiredList("domain", "canarytokens.com");
                Optional<BehaviouralReportSource> sandbox = sandbox(section);
                yield sandbox.isEmpty() || domains.isEmpty() ? null
                        : new RequestsEvilDomainRule(sandbox.get(), values(domains));
            }
            case CUCKOO_ANALYSIS_FAILED -> {
                List<String> failure = values(section.optionalList("failure")).stream().toList();
                List<IniValue> success = section.optionalList("success");
                Optional<BehaviouralReportSource> sandbox = sandbox(section);
                yield sandbox.map(source -> new CuckooAnalysisFailedRule(source, failure, success.isEmpty()
                        ? DEFAULT_CUCKOO_ANALYSIS_SUCCESS : List.copyOf(values(success)))).orElse(null);
            }
            default -> throw new IllegalStateException("no configuration for known rule " + section.name);
        };
    }

    /**
     * Parses and checks the expressions. Identifiers that only lack their report here
     * (Cortex not configured, …) are errors only while the rule is enabled; anything else
     * wrong is an error even in a disabled rule's section, like every other option.
     */
    private Rule expressions(RuleSection section) {
        SectionReader reader = section.reader;
        List<ExpressionsRule.Configured> expressions = new ArrayList<>();
        for (IniValue item : section.requiredList("expression", "sample.file_size < 10 -> ignore")) {
            Implication implication;
            try {
                implication = Implication.parse(item.value());
            } catch (ExpressionSyntaxException e) {
                throw reader.error(item, e.getMessage());
            }
            for (Expr.Path path : implication.paths()) {
                pathProblem(path).ifPresent(problem -> {
                    throw reader.error(item, "column " + path.column() + ": " + problem);
                });
                String needed = DERIVED_REPORTS.getOrDefault(path.identifier(), path.identifier());
                if (section.enabledBy != null && MISSING_REPORTS.containsKey(needed)
                        && !reportSources.containsKey(path.identifier())) {
                    section.unmet.add(new Need(needed, EXPRESSIONS, item.location(), EXPRESSIONS, item.key(),
                            "column " + path.column() + ": " + path.text() + " needs",
                            "rule " + EXPRESSIONS + " (" + item.key() + " at " + item.location() + ": "
                                    + path.text() + ")"));
                }
            }
            expressions.add(new ExpressionsRule.Configured(item.key(), implication));
        }
        UndecidableDocuments undecidable = undecidable(reader);
        logLevel(reader);
        return expressions.isEmpty() ? null : new ExpressionsRule(expressions, reportSources, undecidable);
    }

    /**
     * What is wrong with an identifier path whatever the rule's state: an unknown identifier
     * or attribute. A report that is known but missing here is only checked for an enabled
     * rule, so that a PeekabooAV file can keep such expressions in a disabled section.
     */
    private Optional<String> pathProblem(Expr.Path path) {
        ReportSource<?> source = reportSources.get(path.identifier());
        if (source != null) {
            return source.shape().problemWith(path.identifier(), path.attributes());
        }
        if (path.identifier().equals(CUCKOO_REPORT)) {
            return CuckooReport.SHAPE.problemWith(path.identifier(), path.attributes());
        }
        if (MISSING_REPORTS.containsKey(path.identifier())) {
            return Optional.empty();
        }
        return Optional.of("unknown identifier '" + path.identifier() + "'; expressions know "
                + String.join(", ", reportSources.keySet()));
    }

    /**
     * One error for everything that needs a report this loader does not have, by report: the
     * first need gives the place, the others are listed with theirs.
     */
    private ConfigException unmetNeeds(List<Need> unmet) {
        Need first = unmet.getFirst();
        Missing missing = MISSING_REPORTS.get(first.report());
        StringBuilder problem = new StringBuilder(first.subject()).append(' ').append(missing.what())
                .append(", which is not available: ")
                .append(unavailable.getOrDefault(first.report(), missing.defaultAdvice()));
        List<String> others = unmet.stream().skip(1).filter(need -> need.report().equals(first.report()))
                .map(Need::listed).toList();
        if (!others.isEmpty()) {
            problem.append(". Also needing it: ").append(String.join(", ", others));
        }
        return new ConfigException(first.location(), first.section(), first.key(), problem.toString());
    }

    /**
     * A rule or expression that needs a report this loader was not given.
     *
     * @param report  the missing report's identifier ({@code cortexreport}, {@code olereport})
     * @param rule    the rule that needs it
     * @param subject how the error at the need's own place begins, up to "needs"
     * @param listed  how the need is named in another need's error
     */
    private record Need(String report, String rule, ConfigLocation location, String section, String key, String subject,
                        String listed) {
    }

    /**
     * The sandbox report a sandbox rule reads: option {@code sandbox} names the report of
     * {@code cortexreport} ({@value #DEFAULT_SANDBOX} or {@value #CAPE_SANDBOX}). Empty when
     * Cortex is not configured, which is an error while the rule is enabled: PeekabooAV's
     * Cuckoo rules talked to Cuckoo directly, Peekaboo reaches sandboxes through Cortex.
     */
    private Optional<BehaviouralReportSource> sandbox(RuleSection section) {
        SectionReader reader = section.reader;
        String report = reader.string("sandbox", DEFAULT_SANDBOX);
        if (!SANDBOX_REPORTS.contains(report)) {
            IniValue value = reader.raw("sandbox").orElseThrow();
            throw reader.error(value, "\"" + report + "\" is not a sandbox report; use one of "
                    + String.join(", ", SANDBOX_REPORTS));
        }
        ReportSource<?> cortex = reportSources.get(CORTEX_REPORT);
        if (cortex == null) {
            section.need(CORTEX_REPORT, "a sandbox reached through");
            return Optional.empty();
        }
        return Optional.of(new BehaviouralReportSource(cortex, report));
    }

    /**
     * The macro analysis an Office rule reads: the {@code olereport} the loader was given.
     * Empty without one, which is an error while the rule is enabled. The daemon always
     * gives it, so this guards the wiring of a new front end or a test rather than a site's
     * configuration.
     */
    private Optional<MacroReportSource> macroReports(RuleSection section) {
        ReportSource<?> ole = reportSources.get(OLE_REPORT);
        if (ole == null) {
            section.need(OLE_REPORT, "");
            return Optional.empty();
        }
        return Optional.of(new MacroReportSource(ole));
    }

    private static List<Pattern> patterns(List<IniValue> items, int flags) {
        return items.stream().map(item -> Pattern.compile(item.value(), flags)).toList();
    }

    private static Set<String> values(List<IniValue> items) {
        Set<String> values = new LinkedHashSet<>();
        items.forEach(item -> values.add(item.value()));
        return values;
    }

    /** An Office rule's {@code encrypted_result} and {@code unreadable_result} (docs/ruleset.md). */
    private static UndecidableDocuments undecidable(SectionReader reader) {
        return new UndecidableDocuments(
                result(reader, "encrypted_result", UndecidableDocuments.DEFAULT.encryptedResult()),
                result(reader, "unreadable_result", UndecidableDocuments.DEFAULT.unreadableResult()));
    }

    private static Result result(SectionReader reader, String key, Result defaultValue) {
        Optional<IniValue> raw = reader.raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        // unchecked is the answer these options exist to avoid: the gateway would retry for days.
        return Result.parse(raw.get().value()).filter(result -> result != Result.UNCHECKED)
                .orElseThrow(() -> reader.error(raw.get(), "\"" + raw.get().value()
                        + "\" is not a result; use one of unknown, ignored, good, failed, bad"));
    }

    private static void regexes(SectionReader reader, List<IniValue> items, int flags) {
        for (IniValue item : items) {
            try {
                Pattern.compile(item.value(), flags);
            } catch (PatternSyntaxException e) {
                throw reader.error(item, "\"" + item.value() + "\" is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
    }

    private static void logLevel(SectionReader reader) {
        reader.raw("log_level").ifPresent(value -> {
            if (!LOG_LEVELS.contains(value.value().toUpperCase(Locale.ROOT))) {
                throw reader.error(value, "\"" + value.value() + "\" is not a log level (allowed: "
                        + String.join(", ", LOG_LEVELS) + ")");
            }
        });
    }

    /**
     * One rule's section while it is checked. Lists the rule needs are only required while
     * it is enabled, and that is checked after the unknown options: a misspelt list name
     * explains a "missing" list better than the missing list does.
     */
    private static final class RuleSection {
        private final IniDocument doc;
        private final String name;
        private final SectionReader reader;
        private final IniValue enabledBy;
        private final List<Runnable> requirements = new ArrayList<>();
        private final List<Need> unmet = new ArrayList<>();

        RuleSection(IniDocument doc, String name, IniValue enabledBy) {
            this.doc = doc;
            this.name = name;
            this.reader = new SectionReader(doc, name);
            this.enabledBy = enabledBy;
        }

        /** The items of a list the rule needs; for an enabled rule at least one (checked in {@link #finish}). */
        List<IniValue> requiredList(String key, String example) {
            List<IniValue> items = optionalList(key);
            if (items.isEmpty() && enabledBy != null) {
                requirements.add(() -> {
                    ConfigLocation where = doc.section(name)
                            .map(section -> section.location(key).orElse(section.location()))
                            .orElse(enabledBy.location());
                    throw new ConfigException(where, name, key, "needs at least one item because the rule is enabled ("
                            + enabledBy.key() + " at " + enabledBy.location() + "); write e.g. " + key + ".1: "
                            + example);
                });
            }
            return items;
        }

        /** Notes that the rule, if enabled, needs {@code report}, which the loader lacks. */
        void need(String report, String what) {
            if (enabledBy != null) {
                unmet.add(new Need(report, name, enabledBy.location(), RULES_SECTION, enabledBy.key(),
                        ("Rule " + name + " needs " + what).strip(), "rule " + name + " (" + enabledBy.key() + " at "
                                + enabledBy.location() + ")"));
            }
        }

        /** The items of a list, none if absent; each item must say something. */
        List<IniValue> optionalList(String key) {
            List<IniValue> items = reader.rawList(key).orElse(List.of());
            for (IniValue item : items) {
                if (item.value().isBlank()) {
                    throw reader.error(item, "is empty");
                }
            }
            return items;
        }

        void finish() {
            reader.finish();
            requirements.forEach(Runnable::run);
        }
    }

    private static Set<String> orderedSet(String... names) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(names)));
    }
}
