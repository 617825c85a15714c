package org.peekaboo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layout the README's architecture section describes, kept so by the build: the verdict
 * core (samples, rules, verdicts, the engine, Office analysis) knows nothing of the adapters
 * that reach it (front ends, store, Cortex, the daemon's wiring), so a new front end is one
 * package beside the others, and no two top-level packages need each other.
 */
@AnalyzeClasses(packages = "org.peekaboo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] CORE = {
        "org.peekaboo.verdict..", "org.peekaboo.sample..", "org.peekaboo.ruleset..", "org.peekaboo.analysis..",
        "org.peekaboo.office.."};

    private static final String[] ADAPTER_LIBRARIES = {
        "io.netty..", "org.apache.hc..", "picocli..", "org.jooq..", "com.fasterxml.jackson.."};

    /**
     * Peekaboo's adapters, including packages that are about to be split off the CLI and the
     * line protocol, so that the rule holds for them from the day they appear.
     */
    private static final String[] ADAPTER_PACKAGES = {
        "org.peekaboo.db..", "org.peekaboo.protocol..", "org.peekaboo.cli..", "org.peekaboo.cortex..",
        "org.peekaboo.daemon..", "org.peekaboo.listener..", "org.peekaboo.lineprotocol.."};

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices().matching("org.peekaboo.(*)..")
            .should().beFreeOfCycles()
            .because("a package that needs its dependants cannot be understood, tested or replaced alone;"
                    + " reports reach the ruleset through interfaces it owns (BehaviouralReport, MacroReport)");

    @ArchTest
    static final ArchRule theCoreUsesNoAdapterLibrary = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTER_LIBRARIES)
            .because("transport, storage, HTTP, JSON and command-line libraries belong to the adapters;"
                    + " the core judges samples the same whichever front end asks");

    @ArchTest
    static final ArchRule theCoreUsesNoAdapter = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTER_PACKAGES)
            .because("adapters depend on the core, never the other way round: the daemon's wiring hands"
                    + " the core what it needs (stores, report sources) through interfaces the core owns");
}
