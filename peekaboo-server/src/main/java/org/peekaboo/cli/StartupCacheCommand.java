package org.peekaboo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "startup-cache", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Makes the start-up cache of this jar for the Java runtime that runs it, so that a freshly "
                + "started daemon answers its first request at once: a training run starts the daemon on a "
                + "temporary configuration, has it judge a few hundred small files and stops it; the JVM keeps "
                + "the classes it loaded (Java 25+: AOT cache, Java 21-24: CDS archive) beside the jar.",
                "The build makes it; run it again after the Java runtime was updated (the launcher uses the cache "
                        + "only while runtime and jar are the ones it was made with). Does nothing when the "
                        + "cache is up to date."})
final class StartupCacheCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--force", description = "Make it even when it is up to date.")
    private boolean force;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give the training run at most this many seconds (default ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    /** Internal: the training workload, run by the JVM that records the cache. */
    @Option(names = "--train", paramLabel = "DIR", hidden = true)
    private Path trainingDir;

    @Override
    public Integer call() throws Exception {
        if (trainingDir != null) {
            new StartupCacheTraining(trainingDir.toAbsolutePath()).run();
            return 0;
        }
        if (timeoutSeconds < 1) {
            throw new CommandFailedException("--timeout must be positive");
        }
        Path jar = ownJar();
        String launcherOptions = System.getenv(StartupCache.LAUNCHER_OPTIONS_VARIABLE);
        if (launcherOptions == null) {
            throw new CommandFailedException("the start-up cache is made for the JVM options of the peekaboo "
                    + "launcher: run this through the launcher, not with java -jar");
        }
        StartupCache cache = StartupCache.forRunningJvm(jar.toAbsolutePath(), launcherOptions);
        PrintWriter out = spec.commandLine().getOut();
        if (cache.currentIdentity().isEmpty()) {
            throw new CommandFailedException("cannot make a start-up cache for the Java runtime in "
                    + cache.javaHome() + ": it has no lib/server/libjvm.so or lib/modules to recognise it by");
        }
        if (!force && cache.isUpToDate()) {
            out.println("Start-up cache " + cache.cacheFile() + " is up to date");
            return 0;
        }
        if (!Files.isWritable(cache.cacheFile().toAbsolutePath().getParent())) {
            throw new CommandFailedException("cannot write the start-up cache beside the jar in "
                    + cache.cacheFile().toAbsolutePath().getParent() + " (run this as the owner of the installation)");
        }
        build(jar, cache, out);
        return 0;
    }

    /** The jar this JVM runs, as the launcher named it ({@code -jar PATH}). */
    private static Path ownJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
            throw new CommandFailedException("the start-up cache belongs to the packaged jar: run this through "
                    + "the peekaboo launcher (java -jar peekaboo.jar), not from " + classPath);
        }
        return Path.of(classPath);
    }

    private void build(Path jar, StartupCache cache, PrintWriter out) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("peekaboo-startup-cache-");
        Path partial = cache.cacheFile().resolveSibling(
                cache.cacheFile().getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Path log = work.resolve("training.log");
        List<String> ownOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        long started = System.nanoTime();
        try {
            List<String> command = new ArrayList<>();
            command.add(java());
            command.addAll(cache.trainingJvmOptions(ownOptions, partial));
            command.addAll(List.of("-jar", jar.toString(), "startup-cache", "--train",
                    work.resolve("training").toString()));
            Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!training.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                training.descendants().forEach(ProcessHandle::destroyForcibly);
                training.destroyForcibly();
                training.waitFor(10, TimeUnit.SECONDS);
                throw failed("the training run did not finish within " + timeoutSeconds + " s", log);
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw failed("the training run ended with exit code " + training.exitValue()
                        + (Files.isRegularFile(partial) ? "" : " and wrote no cache"), log);
            }
            verify(jar, cache, ownOptions, partial, work.resolve("verification.log"));
            // Never a stamp beside a cache it does not describe, not even for a moment.
            Files.deleteIfExists(cache.stampFile());
            Files.move(partial, cache.cacheFile(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(cache.otherKindsCacheFile());
            List<String> identity = cache.currentIdentity()
                    .orElseThrow(() -> new CommandFailedException("the runtime or the jar vanished meanwhile"));
            Path stampPartial = cache.stampFile().resolveSibling(cache.stampFile().getFileName() + ".tmp");
            Files.writeString(stampPartial, cache.stamp(identity, Runtime.version().toString()));
            Files.move(stampPartial, cache.stampFile(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            out.printf("Start-up cache built: %s (%d MB, %s) for Java %s in %.0f s%n", cache.cacheFile(),
                    Files.size(cache.cacheFile()) >> 20, cache.kind() == StartupCache.Kind.AOT ? "AOT cache"
                            : "CDS archive", Runtime.version(), (System.nanoTime() - started) / 1e9);
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
            deleteTree(work);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts the JVM once more with the launcher's options and the new cache made mandatory:
     * a cache that this JVM with these options would refuse (or refuse to start with) is
     * thrown away here rather than met by the launcher.
     */
    private void verify(Path jar, StartupCache cache, List<String> ownOptions, Path partial, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(cache.verificationJvmOptions(ownOptions, partial));
        command.addAll(List.of("-jar", jar.toString(), "--version"));
        Process check = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!check.waitFor(Math.min(timeoutSeconds, 120), TimeUnit.SECONDS)) {
            check.destroyForcibly();
            check.waitFor(10, TimeUnit.SECONDS);
            throw failed("the JVM did not start with the new cache", log);
        }
        if (check.exitValue() != 0) {
            throw failed("the JVM refuses the new cache (exit code " + check.exitValue() + ")", log);
        }
    }

    private static CommandFailedException failed(String what, Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            lines = List.of();
        }
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        return new CommandFailedException("no start-up cache made (the daemon starts without one, only slower): "
                + what + (tail.isEmpty() ? "" : "; its last lines:\n" + tail));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
