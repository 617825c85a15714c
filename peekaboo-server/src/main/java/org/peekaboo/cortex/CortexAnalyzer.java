package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.peekaboo.config.CortexSettings.AnalyzerNames;
import org.peekaboo.ruleset.ReportShape;

/** The Cortex analyzers rules can ask, by the name of their report in {@code cortexreport}. */
public enum CortexAnalyzer {
    FILE_INFO(FileInfoReport.NAME, true, AnalyzerNames::fileInfo, FileInfoReport::from, FileInfoReport.ATTRIBUTES),
    /** Looks the SHA-256 up; the file never leaves the site. */
    VIRUS_TOTAL(VirusTotalQueryReport.NAME, false, AnalyzerNames::virusTotal, VirusTotalQueryReport::from,
            VirusTotalQueryReport.ATTRIBUTES),
    HYBRID_ANALYSIS(HybridAnalysisReport.NAME, true, AnalyzerNames::hybridAnalysis, HybridAnalysisReport::from,
            HybridAnalysisReport.ATTRIBUTES, HybridAnalysisReport.FREE_FORM),
    CUCKOO_SANDBOX(CuckooSandboxFileReport.NAME, true, AnalyzerNames::cuckooSandbox, CuckooSandboxFileReport::from,
            CuckooSandboxFileReport.ATTRIBUTES),
    CAPE(CAPEv2FileReport.NAME, true, AnalyzerNames::cape, CAPEv2FileReport::from, CAPEv2FileReport.ATTRIBUTES);

    private final String reportName;
    private final boolean submitsFile;
    private final Function<AnalyzerNames, String> configuredName;
    private final Function<JsonNode, AnalyzerReport> parser;
    private final Set<String> attributes;
    private final Set<String> freeForm;

    CortexAnalyzer(String reportName, boolean submitsFile, Function<AnalyzerNames, String> configuredName,
                   Function<JsonNode, AnalyzerReport> parser, Set<String> attributes) {
        this(reportName, submitsFile, configuredName, parser, attributes, Set.of());
    }

    /** @param freeForm attributes holding the analyzer's JSON as it is, whatever fields it has */
    CortexAnalyzer(String reportName, boolean submitsFile, Function<AnalyzerNames, String> configuredName,
                   Function<JsonNode, AnalyzerReport> parser, Set<String> attributes, Set<String> freeForm) {
        this.reportName = reportName;
        this.submitsFile = submitsFile;
        this.configuredName = configuredName;
        this.parser = parser;
        this.attributes = attributes;
        this.freeForm = freeForm;
    }

    /** The attribute of {@code cortexreport} that holds this analyzer's report. */
    public String reportName() {
        return reportName;
    }

    /** Whether the file is uploaded ({@code dataType} file) or only its SHA-256 sent ({@code hash}). */
    public boolean submitsFile() {
        return submitsFile;
    }

    /** The analyzer's name in Cortex as configured. */
    public String analyzerName(AnalyzerNames names) {
        return configuredName.apply(names);
    }

    /** The attribute names of this analyzer's report. */
    public Set<String> attributes() {
        return attributes;
    }

    /**
     * The attributes for checking expressions at start-up. Paths into free-form JSON
     * ({@code HybridAnalysisReport.full}) can only be checked against a real report.
     */
    public ReportShape shape() {
        Map<String, ReportShape> shapes = new LinkedHashMap<>();
        attributes.forEach(name -> shapes.put(name, freeForm.contains(name) ? ReportShape.unchecked()
                : ReportShape.value()));
        return ReportShape.report(shapes);
    }

    /** Reads a Success job's {@code report} object. */
    AnalyzerReport parse(JsonNode report) {
        return parser.apply(report);
    }

    public static Optional<CortexAnalyzer> byReportName(String name) {
        return Arrays.stream(values()).filter(analyzer -> analyzer.reportName.equals(name)).findFirst();
    }
}
