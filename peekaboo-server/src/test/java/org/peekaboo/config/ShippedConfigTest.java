package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production sample and the documentation must stay true to the code. */
class ShippedConfigTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
    private static final Path SAMPLE = REPOSITORY.resolve("config/peekaboo.conf");
    private static final Path DOCS = REPOSITORY.resolve("docs/configuration.md");
    private static final Pattern COMMENTED_OPTION = Pattern.compile("(?m)^#([a-z_]+(\\.[^:\\s]+)?\\s*:)");

    @TempDir
    Path dir;

    @Test
    void productionSampleLoadsWithoutWarnings() {
        LoadedConfig loaded = PeekabooConfigLoader.load(SAMPLE);

        assertThat(loaded.warnings()).isEmpty();
        PeekabooConfig expected = PeekabooConfig.defaults(SAMPLE);
        expected = new PeekabooConfig(SAMPLE, expected.analysis(),
                expected.server().withAllowedDirs(List.of(Path.of("/var/lib/amavis/tmp"))), expected.store(),
                new RulesetSettings(Optional.of(Path.of("/etc/peekaboo/ruleset.conf"))), expected.logging(),
                expected.cluster());
        assertThat(loaded.config()).isEqualTo(expected);
    }

    @Test
    void everyCommentedOptionShowsItsDefault() throws IOException {
        String uncommented = COMMENTED_OPTION.matcher(Files.readString(SAMPLE)).replaceAll("$1");
        Path file = dir.resolve("peekaboo.conf");
        Files.writeString(file, uncommented);

        PeekabooConfig loaded = PeekabooConfigLoader.load(file).config();

        // The two options without a default show an example value instead.
        assertThat(loaded.server()).isEqualTo(ServerSettings.builder().socketGroup(Optional.of("amavis"))
                .listen(Optional.of(new HostPort("127.0.0.1", 8100))).build());
        assertThat(loaded.analysis()).isEqualTo(AnalysisSettings.defaults());
        assertThat(loaded.store()).isEqualTo(StoreSettings.defaults());
        assertThat(loaded.logging()).isEqualTo(LoggingSettings.defaults());
        assertThat(loaded.cluster()).isEqualTo(ClusterSettings.defaults());
        // Socket, its group and address have no default (the front end is off); the sample shows examples.
        assertThat(loaded.clamd()).isEqualTo(ClamdSettings.off().withSocketFile(Path.of("/run/peekaboo/clamd.sock"))
                .withSocketGroup("amavis").withListen(new HostPort("127.0.0.1", 3310)));
    }

    @Test
    void productionSampleMentionsEveryPeekabooOption() throws IOException {
        String sample = Files.readString(SAMPLE);

        for (String section : List.of("global", "server", "db", "ruleset", "logging", "clamd")) {
            for (String option : knownOptions(section)) {
                if (!isPeekabooAvLeftover(section, option)) {
                    assertThat(sample).as("[%s] %s in %s", section, option, SAMPLE)
                            .containsPattern("(?m)^#?" + option + "(\\.[^:]+)?:");
                }
            }
        }
    }

    @Test
    void documentationHasARowForEveryOption() throws IOException {
        String docs = Files.readString(DOCS);

        for (String section : PeekabooConfigLoader.SECTIONS) {
            for (String option : knownOptions(section)) {
                assertThat(docs).as("[%s] %s in %s", section, option, DOCS)
                        .containsPattern("(?m)^\\| `" + Pattern.quote(option) + "(\\.N)?` \\|");
            }
        }
    }

    /** The options the loader reads in a section, as it lists them when it meets an unknown one. */
    private List<String> knownOptions(String section) throws IOException {
        Path file = dir.resolve(section + ".conf");
        Files.writeString(file, "[" + section + "]\nzz_not_an_option: 1\n");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> PeekabooConfigLoader.load(file));
        Matcher known = Pattern.compile("known options: (.*)$").matcher(error.getMessage());
        assertThat(known.find()).as(error.getMessage()).isTrue();
        return Arrays.asList(known.group(1).split(", "));
    }

    /** Options accepted with a warning only: PeekabooAV's, and queue_size of Peekaboo's own earlier versions. */
    private static boolean isPeekabooAvLeftover(String section, String option) {
        return switch (section) {
            case "global" -> List.of("user", "group", "host", "port", "pid_file", "processing_info_dir",
                    "report_locale", "drop_dir_template", "drop_file_glob", "interpreter", "queue_size")
                    .contains(option);
            case "logging" -> option.equals("log_format");
            case "db" -> option.equals("log_level");
            default -> false;
        };
    }
}
