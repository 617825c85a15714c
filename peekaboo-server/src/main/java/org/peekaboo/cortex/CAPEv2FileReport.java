package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** {@code cortexreport.CAPEv2FileReport}: what the CAPE (PeekabooAV's CAPESandbox_File_Analysis_Inet) analyzer found; see {@link SandboxFindings}. */
public record CAPEv2FileReport(SandboxFindings findings, Artifacts artifacts) implements SandboxReport {
    static final String NAME = "CAPEv2FileReport";
    public static final Set<String> ATTRIBUTES = SandboxFindings.ATTRIBUTES;

    static CAPEv2FileReport from(JsonNode report) {
        return new CAPEv2FileReport(SandboxFindings.from(report), Artifacts.from(report));
    }

    @Override
    public String reportName() {
        return NAME;
    }
}
