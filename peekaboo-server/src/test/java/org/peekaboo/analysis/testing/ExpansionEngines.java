package org.peekaboo.analysis.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.AnalysisEngine;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Expander;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.ruleset.DefaultRuleset;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.TikaFileTypeDetector;

/**
 * Real engines (the built-in ruleset, Tika, expansion, an in-memory store) over files in a
 * directory of their own, for the tests of what the engine makes of containers. A JUnit extension
 * ({@code @RegisterExtension}): fresh directories and store before each test, engines closed and
 * directories deleted after it.
 */
public final class ExpansionEngines implements BeforeEachCallback, AfterEachCallback {
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final long TIMEOUT_SECONDS = 60;

    private final List<AnalysisEngine> engines = new ArrayList<>();
    private Path root;
    private Path dir;
    private Path spoolParent;
    private InMemoryAnalysisStore store;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("peekaboo-expansion-test-");
        dir = Files.createDirectory(root.resolve("files"));
        spoolParent = Files.createDirectory(root.resolve("spool"));
        store = new InMemoryAnalysisStore();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        engines.forEach(AnalysisEngine::close);
        engines.clear();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Where the test writes its files: the engines' allowed directory. */
    public Path dir() {
        return dir;
    }

    public InMemoryAnalysisStore store() {
        return store;
    }

    /** An engine with the built-in ruleset. */
    public AnalysisEngine engine(ExpansionSettings settings) {
        return engine(DefaultRuleset.create(store, new TikaFileTypeDetector(), OleReportSource.withDefaultLimits()),
                settings);
    }

    public AnalysisEngine engine(Ruleset ruleset, ExpansionSettings settings) {
        SampleSpool spool = SampleSpool.under(spoolParent);
        SampleReader reader = new SampleReader(LibcFiles.load(), spool, AnalysisSettings.DEFAULT_MAX_SAMPLE_SIZE);
        AnalysisEngine engine = new AnalysisEngine(ruleset, store, new FakeSampleLocks("this-instance"), reader,
                AllowedDirectories.of(List.of(dir)), new Expander(settings, spool), new AnalysisSettings(2),
                ClusterSettings.defaults(), Clock.systemUTC());
        engines.add(engine);
        return engine;
    }

    /** {@code file} judged by a new engine with the built-in ruleset and the default expansion. */
    public JudgedSample judge(SampleDeclaration file) throws Exception {
        return judge(engine(ExpansionSettings.defaults()), file).getFirst();
    }

    public static List<JudgedSample> judge(AnalysisEngine engine, SampleDeclaration... files) throws Exception {
        return engine.start(List.of(files), PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** A file as amavis declares an attachment. */
    public static SampleDeclaration declared(Path file, String name) {
        return new SampleDeclaration(file.toString(), name, null, "attachment");
    }

    public Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** What is left in the spool: nothing, once every judgement has ended. */
    public List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.walk(spoolParent)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
