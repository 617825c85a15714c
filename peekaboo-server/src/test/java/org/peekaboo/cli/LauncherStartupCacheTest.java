package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.cli.StartupCache.Kind;

/**
 * The checkout's launcher {@code ./peekaboo} passes the start-up cache to the JVM only while
 * its stamp, as {@link StartupCache} writes it, matches the runtime and the jar it is about to
 * run; otherwise it starts the JVM exactly as without a cache. The Debian package's launcher
 * (which has no cache) runs the JVM with the same options. The JVM here is a stand-in that
 * prints the arguments it was given.
 */
class LauncherStartupCacheTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private Path javaHome;

    @BeforeEach
    void fakeRuntime() throws IOException {
        javaHome = dir.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Files.createDirectories(javaHome.resolve("lib/server"));
        // Newer than any real JDK on the machine, so that the launcher's lookup prefers it.
        Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"99.0.1\"\n");
        Files.writeString(javaHome.resolve("lib/server/libjvm.so"), "a JVM");
        Files.writeString(javaHome.resolve("lib/modules"), "the JDK's classes");
        Path java = Files.writeString(javaHome.resolve("bin/java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A copy of the checkout's launcher with a jar (and the given cache files) beside it. */
    private Path checkout() throws IOException {
        Path root = dir.resolve("checkout");
        Files.createDirectories(root.resolve("scripts"));
        Files.createDirectories(root.resolve("peekaboo-server/target"));
        Files.copy(REPOSITORY.resolve("peekaboo"), root.resolve("peekaboo"));
        Files.copy(REPOSITORY.resolve("scripts/jdk.sh"), root.resolve("scripts/jdk.sh"));
        Files.writeString(root.resolve("peekaboo-server/target/peekaboo.jar"), "classes");
        return root;
    }

    /** The JVM options the launchers run with in these tests (PEEKABOO_JAVA_OPTS). */
    private static final String OPTIONS = "-Xmx99m";

    private static StartupCache stamped(Path jar, Path javaHome, Kind kind) throws IOException {
        StartupCache cache = new StartupCache(jar, javaHome, kind, OPTIONS);
        Files.writeString(cache.cacheFile(), "cache");
        Files.writeString(cache.stampFile(), cache.stamp(cache.currentIdentity().orElseThrow(), "99"));
        return cache;
    }

    private List<String> javaArguments(Path launcher, String... environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PEEKABOO_JAVA_OPTS", OPTIONS);
        env.remove("PEEKABOO_STARTUP_CACHE");
        env.put("JAVA_HOME", javaHome.toString());
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < environment.length; i += 2) {
            extra.put(environment[i], environment[i + 1]);
        }
        env.putAll(extra);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().toList();
    }

    @Test
    void theDebianPackagesLauncherRunsTheDaemonWithTheCheckoutLaunchersJvmDefaults() throws Exception {
        String checkout = Files.readString(REPOSITORY.resolve("peekaboo"));
        java.util.regex.Matcher defaults = java.util.regex.Pattern.compile("(?m)^default_java_opts=\"([^\"]+)\"$")
                .matcher(checkout);
        assertThat(defaults.find()).as("default_java_opts in ./peekaboo").isTrue();
        Path launcher = dir.resolve("usr-bin-peekaboo");
        Files.copy(REPOSITORY.resolve("peekaboo-server/src/deb/peekaboo"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> arguments = javaArguments(launcher, "PEEKABOO_JAVA_OPTS", "", "PEEKABOO_JAVA_HOME", javaHome.toString());

        assertThat(String.join(" ", arguments)).isEqualTo(defaults.group(1)
                + " --enable-native-access=ALL-UNNAMED -jar /usr/share/peekaboo/peekaboo.jar --version");
        assertThat(Files.readString(launcher)).contains("MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}");
        assertThat(checkout).contains("MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\"");
    }

    @Test
    void theCheckoutsLauncherUsesAMatchingAotCache() throws Exception {
        Path root = checkout();
        Path jar = root.resolve("peekaboo-server/target/peekaboo.jar");
        StartupCache cache = stamped(jar, javaHome, Kind.AOT);

        List<String> arguments = javaArguments(root.resolve("peekaboo"));

        assertThat(arguments).startsWith("-XX:AOTCache=" + cache.cacheFile(), "-Xlog:aot*=off", "-Xlog:cds*=off");
        assertThat(arguments).endsWith("-jar", jar.toString(), "--version");
    }

    @Test
    void theCheckoutsLauncherUsesAMatchingCdsArchive() throws Exception {
        Path root = checkout();
        StartupCache cache = stamped(root.resolve("peekaboo-server/target/peekaboo.jar"), javaHome, Kind.CDS);

        assertThat(javaArguments(root.resolve("peekaboo")))
                .startsWith("-XX:SharedArchiveFile=" + cache.cacheFile(), "-Xlog:cds*=off");
    }

    @Test
    void theCheckoutsLauncherStartsWithoutTheCacheWhenRuntimeOrJarChanged() throws Exception {
        Path root = checkout();
        Path launcher = root.resolve("peekaboo");
        Path jar = root.resolve("peekaboo-server/target/peekaboo.jar");
        List<String> without = javaArguments(launcher);
        assertThat(without).as("no stamp").noneMatch(argument -> argument.contains("AOT") || argument.contains("Shared"));

        StartupCache cache = stamped(jar, javaHome, Kind.AOT);
        assertThat(javaArguments(launcher)).hasSize(without.size() + 3);
        assertThat(javaArguments(launcher, "PEEKABOO_STARTUP_CACHE", "off")).as("switched off").isEqualTo(without);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(javaArguments(launcher)).as("jar rebuilt").isEqualTo(without);

        stamped(jar, javaHome, Kind.AOT);
        Files.writeString(javaHome.resolve("lib/server/libjvm.so"), "another build of the JVM");
        assertThat(javaArguments(launcher)).as("runtime updated").isEqualTo(without);

        stamped(jar, javaHome, Kind.AOT);
        Files.delete(cache.cacheFile());
        assertThat(javaArguments(launcher)).as("cache file gone").isEqualTo(without);

        Files.writeString(cache.cacheFile(), "cache");
        Files.writeString(cache.stampFile(), "aot peekaboo.aot\n");
        assertThat(javaArguments(launcher)).as("truncated stamp").isEqualTo(without);

        stamped(jar, javaHome, Kind.AOT);
        List<String> otherOptions = javaArguments(launcher, "PEEKABOO_JAVA_OPTS", "-Xms4m -Xmx99m");
        assertThat(otherOptions).as("other JVM options").startsWith("-Xms4m", "-Xmx99m")
                .noneMatch(argument -> argument.contains("AOT"));
    }

    @Test
    void theLaunchersTellTheJvmTheOptionsTheCacheIsMadeFor() throws Exception {
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$PEEKABOO_LAUNCHER_JAVA_OPTS\"\n");
        Path launcher = checkout().resolve("peekaboo");
        assertThat(javaArguments(launcher)).containsExactly(OPTIONS);
        assertThat(javaArguments(launcher, "PEEKABOO_JAVA_OPTS", ""))
                .as("the checkout's defaults").singleElement().asString().contains("-XX:+UseSerialGC");
    }
}
