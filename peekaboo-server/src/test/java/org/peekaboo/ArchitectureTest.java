package org.peekaboo;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layout the README's architecture section describes, kept so by the build: the verdict
 * core (samples, rules, verdicts, the engine, Office analysis, opening messages and archives) knows nothing of the adapters
 * that reach it (front ends, store, Cortex, the daemon's wiring), so a new front end is one
 * package beside the others, and no two top-level packages need each other.
 */
@AnalyzeClasses(packages = "org.peekaboo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] CORE = {
        "org.peekaboo.verdict..", "org.peekaboo.sample..", "org.peekaboo.ruleset..", "org.peekaboo.analysis..",
        "org.peekaboo.office..", "org.peekaboo.expansion..", "org.peekaboo.rtf.."};

    private static final String[] ADAPTER_LIBRARIES = {
        "io.netty..", "org.apache.hc..", "picocli..", "org.jooq..", "com.fasterxml.jackson..", "com.sun.jna..",
        "io.prometheus.."};

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices().matching("org.peekaboo.(*)..")
            .should().beFreeOfCycles()
            .because("a package that needs its dependants cannot be understood, tested or replaced alone;"
                    + " reports reach the ruleset through interfaces it owns (BehaviouralReport, MacroReport)");

    @ArchTest
    static final ArchRule theCoreUsesNoAdapterLibrary = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTER_LIBRARIES)
            .because("transport, storage, HTTP, JSON, metrics and command-line libraries belong to the adapters;"
                    + " the core judges samples the same whichever front end asks");

    @ArchTest
    static final ArchRule theCoreUsesNoAdapter = classes().that().resideInAnyPackage(CORE)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("org.peekaboo..")
                    .or(resideInAnyPackage(CORE)).or(resideInAPackage("org.peekaboo.config..")))
            .because("adapters depend on the core, never the other way round: the daemon's wiring hands"
                    + " the core what it needs (stores, report sources) through interfaces the core owns;"
                    + " every front end to come is an adapter too, without a rule of its own");

    @ArchTest
    static final ArchRule nativeCallsStayInOneAdapter = noClasses().that().resideOutsideOfPackage("org.peekaboo.posix..")
            .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
            .because("native code can crash the JVM and differs per architecture: the one place that calls it"
                    + " (open(2) for samples, behind the core's FileOpener) stays small enough to check by eye");
}
