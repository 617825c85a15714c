package org.peekaboo.cortex;

import org.peekaboo.ruleset.ReportObject;

/**
 * The report of one Cortex analyzer, read leniently: parts an analyzer version does not send
 * are absent ({@code None}, or −1 for numbers as in PeekabooAV), never an error.
 */
public sealed interface AnalyzerReport extends ReportObject
        permits FileInfoReport, VirusTotalQueryReport, HybridAnalysisReport, SandboxReport {

    /** The observables the analyzer extracted. */
    Artifacts artifacts();
}
