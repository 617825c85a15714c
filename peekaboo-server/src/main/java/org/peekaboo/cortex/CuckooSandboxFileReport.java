package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** {@code cortexreport.CuckooSandboxFileReport}: what the CuckooSandbox_File_Analysis_Inet analyzer found; see {@link SandboxFindings}. */
public record CuckooSandboxFileReport(SandboxFindings findings, Artifacts artifacts) implements SandboxReport {
    static final String NAME = "CuckooSandboxFileReport";
    public static final Set<String> ATTRIBUTES = SandboxFindings.ATTRIBUTES;

    static CuckooSandboxFileReport from(JsonNode report) {
        return new CuckooSandboxFileReport(SandboxFindings.from(report), Artifacts.from(report));
    }

    @Override
    public String reportName() {
        return NAME;
    }
}
