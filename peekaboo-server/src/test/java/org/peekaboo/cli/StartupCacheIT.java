package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.peekaboo.cli.StartupCache.Kind;

/**
 * The package phase leaves a start-up cache beside the jar for the JVM and the JVM options
 * the launcher uses, and the launcher starts Peekaboo with it: with the cache made mandatory
 * ({@code -XX:AOTMode=on} or {@code -Xshare:on} through {@code JDK_JAVA_OPTIONS}, which the
 * launcher's options and so the stamp do not include) the JVM would refuse to start without it.
 */
class StartupCacheIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = Path.of("target", "peekaboo.jar").toAbsolutePath();

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, String... environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true);
        builder.environment().remove("PEEKABOO_STARTUP_CACHE");
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s did not finish", command).isTrue();
        return new Result(process.exitValue(), output.strip());
    }

    @Test
    void thePackagedJarHasAStartupCacheThatTheLaunchersJvmAccepts() throws Exception {
        assumeThat(Boolean.getBoolean("startupCache.skip")).as("built with -DstartupCache.skip=true").isFalse();
        Path javaHome = Path.of(run(List.of("bash", "-c",
                ". scripts/jdk.sh && peekaboo_find_jdk jre && echo \"$JAVA_HOME\"")).output());
        int feature = Integer.parseInt(run(List.of("bash", "-c",
                ". scripts/jdk.sh && peekaboo_java_major \"$0\"", javaHome.resolve("bin/java").toString())).output());
        String options = System.getenv("PEEKABOO_JAVA_OPTS");
        if (options == null || options.isEmpty()) {
            Matcher defaults = Pattern.compile("(?m)^default_java_opts=\"([^\"]+)\"$")
                    .matcher(Files.readString(REPOSITORY.resolve("peekaboo")));
            assertThat(defaults.find()).isTrue();
            options = defaults.group(1);
        }
        StartupCache cache = new StartupCache(JAR, javaHome, Kind.forFeatureRelease(feature), options);

        assertThat(cache.isUpToDate()).as("%s with a stamp matching %s, the jar and %s", cache.cacheFile(), javaHome,
                options).isTrue();
        String mandatory = cache.kind() == Kind.AOT ? "-XX:AOTMode=on" : "-Xshare:on";
        Result version = run(List.of(REPOSITORY.resolve("peekaboo").toString(), "--version"),
                "JDK_JAVA_OPTIONS", mandatory);
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("Picked up JDK_JAVA_OPTIONS").contains("Peekaboo ");
    }
}
