package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.cli.StartupCache.Kind;

class StartupCacheTest {
    private static final String OPTIONS = "-XX:+UseSerialGC -Xmx80m";

    @TempDir
    Path dir;

    private Path javaHome;
    private Path jar;

    @BeforeEach
    void runtimeAndJar() throws IOException {
        javaHome = dir.resolve("jdk");
        Files.createDirectories(javaHome.resolve("lib/server"));
        Files.writeString(javaHome.resolve("lib/server/libjvm.so"), "a JVM");
        Files.writeString(javaHome.resolve("lib/modules"), "the JDK's classes");
        jar = Files.writeString(Files.createDirectories(dir.resolve("target")).resolve("peekaboo.jar"), "classes");
    }

    @Test
    void java25AndLaterMakeAnAotCacheEarlierReleasesACdsArchive() {
        assertThat(Kind.forFeatureRelease(21)).isEqualTo(Kind.CDS);
        assertThat(Kind.forFeatureRelease(24)).isEqualTo(Kind.CDS);
        assertThat(Kind.forFeatureRelease(25)).isEqualTo(Kind.AOT);
        assertThat(Kind.forFeatureRelease(26)).isEqualTo(Kind.AOT);
        assertThat(new StartupCache(jar, javaHome, Kind.AOT, OPTIONS).cacheFile()).isEqualTo(jar.resolveSibling("peekaboo.aot"));
        assertThat(new StartupCache(jar, javaHome, Kind.CDS, OPTIONS).cacheFile()).isEqualTo(jar.resolveSibling("peekaboo.jsa"));
        assertThat(new StartupCache(jar, javaHome, Kind.CDS, OPTIONS).stampFile())
                .isEqualTo(jar.resolveSibling("peekaboo.cache-stamp"));
    }

    @Test
    void theStampNamesTheCacheAndTheSizeAndSecondOfEveryFingerprintedFile() throws IOException {
        Files.setLastModifiedTime(jar, FileTime.from(Instant.ofEpochSecond(1_700_000_123, 999_000_000)));
        StartupCache cache = new StartupCache(jar, javaHome, Kind.AOT, OPTIONS);

        List<String> identity = cache.currentIdentity().orElseThrow();

        assertThat(identity).hasSize(5);
        assertThat(identity.getFirst()).isEqualTo("aot peekaboo.aot");
        // As stat -L -c '%s %Y' prints it: whole seconds, rounded down.
        assertThat(identity.get(3)).isEqualTo("7 1700000123");
        assertThat(identity.get(4)).isEqualTo("options -XX:+UseSerialGC -Xmx80m");
        assertThat(cache.stamp(identity, "25.0.1").lines().limit(5).toList()).isEqualTo(identity);
    }

    @Test
    void aRuntimeWithoutLibjvmCannotBeStamped() throws IOException {
        Files.delete(javaHome.resolve("lib/server/libjvm.so"));

        assertThat(new StartupCache(jar, javaHome, Kind.CDS, OPTIONS).currentIdentity()).isEmpty();
    }

    @Test
    void theCacheIsUpToDateOnlyWhileRuntimeAndJarAreUnchanged() throws IOException {
        StartupCache cache = new StartupCache(jar, javaHome, Kind.AOT, OPTIONS);
        assertThat(cache.isUpToDate()).as("no cache yet").isFalse();
        Files.writeString(cache.cacheFile(), "cache");
        assertThat(cache.isUpToDate()).as("no stamp yet").isFalse();
        Files.writeString(cache.stampFile(), cache.stamp(cache.currentIdentity().orElseThrow(), "25"));
        assertThat(cache.isUpToDate()).isTrue();

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(cache.isUpToDate()).as("jar rebuilt").isFalse();

        Files.writeString(cache.stampFile(), cache.stamp(cache.currentIdentity().orElseThrow(), "25"));
        Files.writeString(javaHome.resolve("lib/server/libjvm.so"), "an updated JVM");
        assertThat(cache.isUpToDate()).as("runtime updated").isFalse();
        assertThat(new StartupCache(jar, javaHome, Kind.CDS, OPTIONS).isUpToDate()).as("other kind").isFalse();
    }

    @Test
    void theCacheIsUpToDateOnlyForTheJvmOptionsItWasMadeWith() throws IOException {
        StartupCache cache = new StartupCache(jar, javaHome, Kind.AOT, OPTIONS);
        Files.writeString(cache.cacheFile(), "cache");
        Files.writeString(cache.stampFile(), cache.stamp(cache.currentIdentity().orElseThrow(), "25"));

        assertThat(cache.isUpToDate()).isTrue();
        assertThat(new StartupCache(jar, javaHome, Kind.AOT, OPTIONS + " -Xms4m").isUpToDate()).isFalse();
    }

    @Test
    void theTrainingRunKeepsTheJvmOptionsButNeverReadsOrWritesAnotherCache() {
        StartupCache cache = new StartupCache(jar, javaHome, Kind.AOT, OPTIONS);
        Path output = dir.resolve("target/peekaboo.aot.1.tmp");

        List<String> options = cache.trainingJvmOptions(List.of("-XX:AOTCache=/old/peekaboo.aot", "-Xlog:aot*=off",
                "-Xlog:cds*=off", "-XX:+UseSerialGC", "-Xmx256m", "-XX:SharedArchiveFile=/old.jsa", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED"), output);

        assertThat(options).containsExactly("-XX:+UseSerialGC", "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-XX:AOTCacheOutput=" + output);
        assertThat(new StartupCache(jar, javaHome, Kind.CDS, OPTIONS).trainingJvmOptions(List.of(), output))
                .containsExactly("-XX:ArchiveClassesAtExit=" + output);
    }

    @Test
    void theNewCacheIsCheckedWithTheSameOptionsAndMadeMandatory() {
        Path file = dir.resolve("target/peekaboo.aot.1.tmp");
        List<String> own = List.of("-XX:AOTCache=/old/peekaboo.aot", "-Xlog:aot*=off", "-Xms24m");

        assertThat(new StartupCache(jar, javaHome, Kind.AOT, OPTIONS).verificationJvmOptions(own, file))
                .containsExactly("-Xms24m", "-XX:AOTCache=" + file, "-XX:AOTMode=on");
        assertThat(new StartupCache(jar, javaHome, Kind.CDS, OPTIONS).verificationJvmOptions(own, file))
                .containsExactly("-Xms24m", "-XX:SharedArchiveFile=" + file, "-Xshare:on");
    }
}
