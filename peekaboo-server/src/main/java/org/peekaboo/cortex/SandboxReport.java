package org.peekaboo.cortex;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.peekaboo.ruleset.BehaviouralReport;

/** A report of a sandbox analyzer: the same attributes whether Cuckoo or CAPE ran the sample. */
public sealed interface SandboxReport extends AnalyzerReport, BehaviouralReport
        permits CuckooSandboxFileReport, CAPEv2FileReport {

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

    /** The analyzers report a missing score as a negative malscore. */
    @Override
    default OptionalDouble score() {
        double malscore = findings().malscore();
        return malscore < 0 ? OptionalDouble.empty() : OptionalDouble.of(malscore);
    }

    @Override
    default List<String> signatureDescriptions() {
        return findings().signatures();
    }

    /** The domains of the network analysis and those Cortex extracted as artifacts. */
    @Override
    default List<String> requestedDomains() {
        Set<String> domains = new LinkedHashSet<>(findings().domains());
        domains.addAll(artifacts().domains());
        return List.copyOf(domains);
    }

    /** Cortex passes the sandbox's own log on to nobody; a failed run fails the Cortex job instead. */
    @Override
    default List<String> messages() {
        return List.of();
    }
}
