package org.peekaboo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the start-up cache of a jar lives and which Java runtime and jar it belongs to.
 *
 * <p>The cache holds the classes the daemon loads, already parsed and linked (and on Java 25
 * and later also their profiles): a JEP 483/514/515 AOT cache made with
 * {@code -XX:AOTCacheOutput} on Java 25 and later, a dynamic AppCDS archive made with
 * {@code -XX:ArchiveClassesAtExit} on Java 21 to 24. Either works only with the very JVM
 * and jar it was made with, so a <em>stamp</em> beside it records the size and modification
 * time of the runtime's {@code lib/server/libjvm.so} and {@code lib/modules} and of the jar,
 * and the JVM options the launcher ran the training with. The launchers compare these lines
 * with what {@code stat -L -c '%s %Y'} prints for the files they are about to run and with
 * the options they are about to pass, and pass the cache to the JVM only when all are equal;
 * any other runtime, a rebuilt or copied jar, other options (e.g. {@code PEEKABOO_JAVA_OPTS})
 * or a missing or unreadable file means starting without it, as before. The options matter:
 * Java 25 refuses to start at all with some heap settings and an AOT cache it would accept
 * with others ({@code -Xms4m}: "Unable to use AOT cache"), so a cache is only ever used with
 * the options it was made and checked with.
 *
 * <p>Stamp format (the launchers read the first five lines, the rest is for people):
 * <pre>
 * aot peekaboo.aot          kind (aot or cds) and the cache's file name beside the jar
 * 23871224 1760000000       libjvm.so: size in bytes, modification time in epoch seconds
 * 134012345 1760000000      lib/modules: the same
 * 27750057 1765000000       the jar: the same
 * options -XX:+UseSerialGC -Xmx80m   the launcher's JVM options, as one string
 * # comment lines
 * </pre>
 *
 * @param jar        the shaded jar the launcher runs
 * @param javaHome   the runtime's {@code java.home}
 * @param kind       the kind of cache this runtime makes
 * @param jvmOptions the JVM options of the launcher as one string ({@value #LAUNCHER_OPTIONS_VARIABLE})
 */
record StartupCache(Path jar, Path javaHome, Kind kind, String jvmOptions) {
    /** Set by the launchers to the JVM options they pass (defaults or {@code PEEKABOO_JAVA_OPTS}). */
    static final String LAUNCHER_OPTIONS_VARIABLE = "PEEKABOO_LAUNCHER_JAVA_OPTS";

    /** The runtimes from which on {@code -XX:AOTCacheOutput} (JEP 514) exists. */
    static final int AOT_CACHE_FEATURE_RELEASE = 25;

    /** How the cache is made and used, by Java release. */
    enum Kind {
        /** Java 25 and later: an AOT cache, {@code -XX:AOTCacheOutput} / {@code -XX:AOTCache}. */
        AOT("aot", ".aot"),
        /** Java 21 to 24: a dynamic AppCDS archive, {@code -XX:ArchiveClassesAtExit} / {@code -XX:SharedArchiveFile}. */
        CDS("cds", ".jsa");

        private final String word;
        private final String suffix;

        Kind(String word, String suffix) {
            this.word = word;
            this.suffix = suffix;
        }

        static Kind forFeatureRelease(int feature) {
            return feature >= AOT_CACHE_FEATURE_RELEASE ? AOT : CDS;
        }

        /** The option that makes the training JVM write the cache to {@code file} when it exits. */
        String recordOption(Path file) {
            return this == AOT ? "-XX:AOTCacheOutput=" + file : "-XX:ArchiveClassesAtExit=" + file;
        }

        /** The options that make a JVM use the cache in {@code file} or refuse to start. */
        List<String> mandatoryUseOptions(Path file) {
            return this == AOT ? List.of("-XX:AOTCache=" + file, "-XX:AOTMode=on")
                    : List.of("-XX:SharedArchiveFile=" + file, "-Xshare:on");
        }

        String word() {
            return word;
        }
    }

    StartupCache {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jvmOptions, "jvmOptions");
    }

    /** The cache of {@code jar} for the running JVM, started by a launcher with {@code jvmOptions}. */
    static StartupCache forRunningJvm(Path jar, String jvmOptions) {
        return new StartupCache(jar, Path.of(System.getProperty("java.home")),
                Kind.forFeatureRelease(Runtime.version().feature()), jvmOptions);
    }

    /** {@code peekaboo.jar} → {@code peekaboo}. */
    private String baseName() {
        String name = jar.getFileName().toString();
        return name.endsWith(".jar") ? name.substring(0, name.length() - ".jar".length()) : name;
    }

    /** The cache file beside the jar, e.g. {@code peekaboo.aot}. */
    Path cacheFile() {
        return jar.resolveSibling(baseName() + kind.suffix);
    }

    /** The cache file of the other kind, left from a runtime of the other generation. */
    Path otherKindsCacheFile() {
        Kind other = kind == Kind.AOT ? Kind.CDS : Kind.AOT;
        return jar.resolveSibling(baseName() + other.suffix);
    }

    /** The stamp beside the jar, e.g. {@code peekaboo.cache-stamp}. */
    Path stampFile() {
        return jar.resolveSibling(baseName() + ".cache-stamp");
    }

    /** The files whose identity the stamp records, in its order. */
    List<Path> fingerprintedFiles() {
        return List.of(javaHome.resolve("lib/server/libjvm.so"), javaHome.resolve("lib/modules"), jar);
    }

    /**
     * The stamp's first five lines for the files as they are now: what the launchers compare,
     * or empty when a file cannot be read (then no cache can be stamped).
     */
    Optional<List<String>> currentIdentity() {
        List<String> lines = new ArrayList<>();
        lines.add(kind.word() + " " + cacheFile().getFileName());
        for (Path file : fingerprintedFiles()) {
            try {
                // stat -L -c '%s %Y': follows links, whole seconds rounded down.
                lines.add(Files.size(file) + " " + Files.getLastModifiedTime(file).to(TimeUnit.SECONDS));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        lines.add("options " + jvmOptions);
        return Optional.of(List.copyOf(lines));
    }

    /** The whole stamp for {@code identity}: the lines the launchers compare and a note for people. */
    String stamp(List<String> identity, String javaVersion) {
        StringBuilder text = new StringBuilder();
        identity.forEach(line -> text.append(line).append('\n'));
        text.append("# Start-up cache of ").append(jar.getFileName()).append(" for Java ").append(javaVersion)
                .append(" in ").append(javaHome).append(", made by \"peekaboo startup-cache\".\n")
                .append("# The launcher uses it only while the sizes and modification times above (libjvm.so,\n")
                .append("# lib/modules, the jar) and its JVM options are unchanged: run \"peekaboo startup-cache\"\n")
                .append("# again after a Java update or a change of PEEKABOO_JAVA_OPTS.\n");
        return text.toString();
    }

    /** Whether the cache exists and its stamp matches the runtime and jar as they are now. */
    boolean isUpToDate() {
        Optional<List<String>> identity = currentIdentity();
        if (identity.isEmpty() || !Files.isRegularFile(cacheFile()) || !Files.isReadable(stampFile())) {
            return false;
        }
        try {
            List<String> stamped = Files.readAllLines(stampFile());
            return stamped.size() >= identity.get().size()
                    && stamped.subList(0, identity.get().size()).equals(identity.get());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The JVM options of the training run: this JVM's own options without those that name a
     * cache (the old cache must neither be read nor written while the new one is made) or
     * silence its diagnostics, then the option that records the new one to {@code output}.
     */
    List<String> trainingJvmOptions(List<String> ownOptions, Path output) {
        List<String> options = withoutCacheOptions(ownOptions);
        options.add(kind.recordOption(output));
        return options;
    }

    /**
     * The JVM options of the check after the training: the same options, the new cache in
     * {@code file} made mandatory, so that a cache this JVM would refuse is never kept.
     */
    List<String> verificationJvmOptions(List<String> ownOptions, Path file) {
        List<String> options = withoutCacheOptions(ownOptions);
        options.addAll(kind.mandatoryUseOptions(file));
        return options;
    }

    private static List<String> withoutCacheOptions(List<String> ownOptions) {
        List<String> options = new ArrayList<>();
        for (String option : ownOptions) {
            if (!namesACache(option)) {
                options.add(option);
            }
        }
        return options;
    }

    static boolean namesACache(String option) {
        return option.startsWith("-XX:AOTCache=") || option.startsWith("-XX:AOTCacheOutput=")
                || option.startsWith("-XX:AOTConfiguration=") || option.startsWith("-XX:AOTMode=")
                || option.startsWith("-XX:SharedArchiveFile=") || option.startsWith("-XX:ArchiveClassesAtExit=")
                || option.startsWith("-XX:+AutoCreateSharedArchive") || option.startsWith("-Xshare:")
                || option.startsWith("-Xlog:aot") || option.startsWith("-Xlog:cds");
    }
}
