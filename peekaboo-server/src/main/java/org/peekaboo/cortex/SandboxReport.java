package org.peekaboo.cortex;

import java.util.Set;

/** A report of a sandbox analyzer: the same attributes whether Cuckoo or CAPE ran the sample. */
public sealed interface SandboxReport extends AnalyzerReport permits CuckooSandboxFileReport, CAPEv2FileReport {

    SandboxFindings findings();

    /** The attribute of {@code cortexreport} this report is, for messages. */
    String reportName();

    @Override
    default Set<String> attributeNames() {
        return SandboxFindings.ATTRIBUTES;
    }

    @Override
    default Object attribute(String name) throws UnknownAttributeException {
        return findings().attribute(reportName(), name, artifacts());
    }
}
