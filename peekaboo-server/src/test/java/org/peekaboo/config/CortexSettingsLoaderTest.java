package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CortexSettingsLoaderTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("basedir", "")).toAbsolutePath().getParent();
    private static final Path SAMPLE = REPOSITORY.resolve("config/analyzers.conf");
    private static final Map<String, String> TOKEN = Map.of(CortexSettingsLoader.TOKEN_VARIABLE, "from-env");

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("analyzers.conf");
        // Like every file holding a secret, readable by the owner and group only.
        Files.setPosixFilePermissions(Files.writeString(file, text), PosixFilePermissions.fromString("rw-r-----"));
        return file;
    }

    private ConfigException error(String text) throws IOException {
        Path file = write(text);
        return catchThrowableOfType(ConfigException.class, () -> CortexSettingsLoader.load(file, Map.of()));
    }

    @Test
    void shippedSampleLoadsAndItsCommentedOptionsShowTheDefaults() throws IOException {
        CortexSettingsLoader.Loaded loaded = CortexSettingsLoader.load(SAMPLE, TOKEN);
        Path uncommented = write(Files.readString(SAMPLE).replaceAll("(?m)^#([a-z_]+\\s*:)", "$1"));
        CortexSettingsLoader.Loaded all = CortexSettingsLoader.load(uncommented, TOKEN);

        CortexSettings expected = CortexSettings.of(URI.create("http://127.0.0.1:9001"), new Secret("from-env"));
        assertThat(loaded.settings()).isEqualTo(expected);
        assertThat(loaded.warnings()).extracting(ConfigWarning::message)
                .containsExactly("overridden by the environment variable PEEKABOO_CORTEX_API_TOKEN");
        assertThat(all.settings()).isEqualTo(expected);
    }

    @Test
    void documentationHasARowForEveryOption() throws IOException {
        String docs = Files.readString(REPOSITORY.resolve("docs/configuration.md"));
        ConfigException unknown = error("[cortex]\napi_token: x\nzz_not_an_option: 1\n");
        Matcher known = Pattern.compile("known options: (.*)$").matcher(unknown.getMessage());
        assertThat(known.find()).as(unknown.getMessage()).isTrue();

        for (String option : Arrays.asList(known.group(1).split(", "))) {
            assertThat(docs).as("[cortex] %s", option).containsPattern("(?m)^\\| `" + Pattern.quote(option) + "` \\|");
        }
    }

    @Test
    void peekabooAvAnalyzersConfLoads() throws IOException {
        Path file = write("""
                [cortex]
                url: https://cortex.example.org/cortex/
                tlp: GREEN
                api_token: 0123456789abcdefghijklmnopqrstuv
                poll_interval: 5
                submit_original_filename: no
                maximum_job_age: 900
                """);

        CortexSettings settings = CortexSettingsLoader.load(file, Map.of()).settings();

        assertThat(settings.url()).isEqualTo(URI.create("https://cortex.example.org/cortex"));
        assertThat(settings.tlp()).isEqualTo(1);
        assertThat(settings.apiToken().value()).isEqualTo("0123456789abcdefghijklmnopqrstuv");
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.submitOriginalFilename()).isFalse();
        assertThat(settings.maxJobAge()).isEqualTo(Duration.ofSeconds(900));
        assertThat(settings.toString()).doesNotContain("0123456789abcdefghijklmnopqrstuv");
    }

    @Test
    void tokenFileMustNotBeWorldReadableAndLosesToTheEnvironment() throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "file-token\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
        Path file = write("[cortex]\napi_token: inline\napi_token_file: token\n");

        CortexSettingsLoader.Loaded fromFile = CortexSettingsLoader.load(file, Map.of());
        assertThat(fromFile.settings().apiToken().value()).isEqualTo("file-token");
        assertThat(fromFile.warnings()).extracting(ConfigWarning::message)
                .containsExactly("overridden by [cortex] api_token_file");
        assertThat(CortexSettingsLoader.load(file, TOKEN).settings().apiToken().value()).isEqualTo("from-env");

        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(error("[cortex]\napi_token_file: token\n").getMessage())
                .contains("analyzers.conf:2", "readable by every user");
    }

    @Test
    void invalidValuesNameFileLineAndWhatIsAllowed() throws IOException {
        assertThat(error("[cortex]\napi_token: x\ntlp: orange\n").getMessage())
                .contains("analyzers.conf:3", "tlp", "\"orange\" is not a TLP level (allowed: white, green, amber, red");
        assertThat(error("[cortex]\napi_token: x\nurl: cortex:9001\n").getMessage())
                .contains("analyzers.conf:3", "not an http or https URL");
        assertThat(error("[cortex]\napi_token: x\npoll_interval: 0\n").getMessage())
                .contains("analyzers.conf:3", "out of range");
        assertThat(error("[cortex]\nurl: http://cortex:9001\n").getMessage())
                .contains("no API key given", CortexSettingsLoader.TOKEN_VARIABLE);
        assertThat(error("[cortex]\napi_token: x\n[virustotal]\nkey: y\n").getMessage())
                .contains("analyzers.conf:3", "Unknown section [virustotal]");
    }

    @Test
    void aCortexSectionThatSetsNothingLeavesCortexUnconfiguredAndSaysWhatToSet() throws IOException {
        Path commented = write("[cortex]\n# Token to authenticate with\n#api_token : <empty>\n#tlp: amber\n");
        Path absent = write("");

        CortexSettingsLoader.Loaded loaded = CortexSettingsLoader.load(commented, Map.of());

        assertThat(loaded.configured()).isEmpty();
        assertThat(loaded.notConfigured()).isEqualTo("[cortex] in " + commented + " sets nothing; set api_token,"
                + " api_token_file or the environment variable " + CortexSettingsLoader.TOKEN_VARIABLE
                + " to the key of a Cortex user with the roles read and analyze");
        assertThat(catchThrowableOfType(ConfigException.class, loaded::settings)).hasMessage(loaded.notConfigured());
        assertThat(CortexSettingsLoader.load(absent, Map.of()).configured()).isEmpty();
    }

    @Test
    void aKeyInTheEnvironmentConfiguresAnEmptyCortexSectionWithTheDefaults() throws IOException {
        Path commented = write("[cortex]\n#url: http://127.0.0.1:9001\n");

        CortexSettings settings = CortexSettingsLoader.load(commented,
                Map.of(CortexSettingsLoader.TOKEN_VARIABLE, "k3y")).settings();

        assertThat(settings).isEqualTo(CortexSettings.of(CortexSettings.DEFAULT_URL, new Secret("k3y")));
    }

    @Test
    void directCuckooAccessIsRefusedWithWhatToUseInstead() throws IOException {
        ConfigException refused = error("[cuckoo]\nurl: http://127.0.0.1:8090\n\n[cortex]\napi_token: x\n");
        Path emptyCuckoo = write("[cuckoo]\n[cortex]\napi_token: x\n");

        assertThat(refused.getMessage()).contains("analyzers.conf:2", "[cuckoo]", "url",
                "run Cuckoo or CAPE behind Cortex", "cuckoosandbox_analyzer");
        List<ConfigWarning> warnings = CortexSettingsLoader.load(emptyCuckoo, Map.of()).warnings();
        assertThat(warnings).singleElement().extracting(ConfigWarning::message).asString()
                .startsWith("empty section ignored");
    }

    @Test
    void redTlpIsWarnedAbout() throws IOException {
        CortexSettingsLoader.Loaded loaded = CortexSettingsLoader.load(write("[cortex]\napi_token: x\ntlp: 3\n"),
                Map.of());

        assertThat(loaded.settings().tlp()).isEqualTo(3);
        assertThat(loaded.warnings()).extracting(ConfigWarning::message).singleElement().asString()
                .contains("fail every job at red");
    }
}
