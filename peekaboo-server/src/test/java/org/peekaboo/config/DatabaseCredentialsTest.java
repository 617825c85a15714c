package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [db] credentials from the URL, user, password_file and PEEKABOO_DB_PASSWORD, and who wins. */
class DatabaseCredentialsTest {
    private static final String URL_WITH_PASSWORD = "url: mysql://peekaboo:from-url@db.example.org/peekaboo\n";
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();
    private static final Map<String, String> ENVIRONMENT = Map.of(PeekabooConfigLoader.PASSWORD_VARIABLE, "from-env");

    @TempDir
    Path dir;

    private LoadedConfig load(String db, Map<String, String> environment) throws IOException {
        Path file = dir.resolve("peekaboo.conf");
        // Like every file holding a secret, readable by the owner and group only.
        Files.setPosixFilePermissions(Files.writeString(file, "[db]\n" + db),
                PosixFilePermissions.fromString("rw-r-----"));
        return PeekabooConfigLoader.load(file, environment);
    }

    private Path passwordFile(String name, String content, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static Optional<String> password(LoadedConfig loaded) {
        return loaded.config().store().password().map(Secret::value);
    }

    @Test
    void aPeekabooAvUrlIsTranslatedAndItsCredentialsKeptApart() throws IOException {
        StoreSettings store = load(URL_WITH_PASSWORD, NO_ENVIRONMENT).config().store();

        assertThat(store.url()).contains("jdbc:mariadb://db.example.org:3306/peekaboo");
        assertThat(store.user()).contains("peekaboo");
        assertThat(store.password().map(Secret::value)).contains("from-url");
    }

    @Test
    void thePasswordFileOverridesTheUrlWithAWarning() throws IOException {
        passwordFile("db.pw", "from-file\nsecond line is not part of it\n", "rw-r-----");

        LoadedConfig loaded = load(URL_WITH_PASSWORD + "password_file: db.pw\n", NO_ENVIRONMENT);

        assertThat(password(loaded)).contains("from-file");
        assertThat(loaded.warnings()).extracting(ConfigWarning::toString).containsExactly(
                dir.resolve("peekaboo.conf") + ":2: [db] url: the password in the URL is overridden by"
                        + " [db] password_file");
    }

    @Test
    void theEnvironmentOverridesFileAndUrl() throws IOException {
        passwordFile("db.pw", "from-file\n", "rw-------");

        LoadedConfig loaded = load(URL_WITH_PASSWORD + "password_file: db.pw\n", ENVIRONMENT);

        assertThat(password(loaded)).contains("from-env");
        assertThat(loaded.warnings()).extracting(ConfigWarning::message).containsExactly(
                "the password in the URL is overridden by the environment variable PEEKABOO_DB_PASSWORD",
                "overridden by the environment variable PEEKABOO_DB_PASSWORD");
    }

    @Test
    void theEnvironmentAloneSuppliesThePassword() throws IOException {
        LoadedConfig loaded = load("url: jdbc:mariadb://db:3306/peekaboo\nuser: peekaboo\n", ENVIRONMENT);

        assertThat(loaded.config().store().user()).contains("peekaboo");
        assertThat(password(loaded)).contains("from-env");
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsUnset() throws IOException {
        LoadedConfig loaded = load(URL_WITH_PASSWORD, Map.of(PeekabooConfigLoader.PASSWORD_VARIABLE, ""));

        assertThat(password(loaded)).contains("from-url");
    }

    @Test
    void aPasswordFileReadableByEveryoneIsRefused() throws IOException {
        Path file = passwordFile("db.pw", "from-file\n", "rw-r--r--");

        assertThatThrownBy(() -> load("url: mysql://peekaboo@db/peekaboo\npassword_file: " + file + "\n",
                NO_ENVIRONMENT))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("peekaboo.conf") + ":3: [db] password_file: " + file
                        + " is readable by every user; restrict it, e.g. chmod o-rwx " + file);
    }

    @Test
    void aMissingOrEmptyPasswordFileIsAnError() throws IOException {
        passwordFile("empty.pw", "\nfrom-file\n", "rw-------");

        assertThatThrownBy(() -> load("url: jdbc:mariadb://db/p\npassword_file: missing.pw\n", NO_ENVIRONMENT))
                .hasMessage(dir.resolve("peekaboo.conf") + ":3: [db] password_file: " + dir.resolve("missing.pw")
                        + " does not exist");
        assertThatThrownBy(() -> load("url: jdbc:mariadb://db/p\npassword_file: empty.pw\n", NO_ENVIRONMENT))
                .hasMessageEndingWith("the first line of " + dir.resolve("empty.pw")
                        + " is empty; it must be the database password");
    }

    @Test
    void aUserContradictingTheUrlIsAnError() {
        assertThatThrownBy(() -> load(URL_WITH_PASSWORD + "user: someone-else\n", NO_ENVIRONMENT))
                .hasMessage(dir.resolve("peekaboo.conf") + ":3: [db] user: \"someone-else\" contradicts the user"
                        + " \"peekaboo\" in [db] url; give the user in one place");
    }

    @Test
    void credentialsWithoutAnExternalDatabaseAreAnError() throws IOException {
        passwordFile("db.pw", "from-file\n", "rw-------");

        assertThatThrownBy(() -> load("password_file: db.pw\n", NO_ENVIRONMENT))
                .hasMessage(dir.resolve("peekaboo.conf") + ":2: [db] password_file: applies only to an external"
                        + " database; set [db] url as well");
        assertThat(load("", ENVIRONMENT).config().store()).isEqualTo(StoreSettings.defaults());
    }

    @Test
    void aBrokenUrlIsReportedWithItsLineButWithoutThePassword() {
        assertThatThrownBy(() -> load("url: mysql://peekaboo:s3cret@db:99999/peekaboo\n", NO_ENVIRONMENT))
                .hasMessage(dir.resolve("peekaboo.conf") + ":2: [db] url: the database URL's port 99999 is out of"
                        + " range (1 to 65535)");
    }

    @Test
    void poolSizeAndConnectTimeoutAreRead() throws IOException {
        StoreSettings store = load("pool_size: 25\nconnect_timeout: 500ms\n", NO_ENVIRONMENT).config().store();

        assertThat(store.poolSize()).isEqualTo(25);
        assertThat(store.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> load("pool_size: 0\n", NO_ENVIRONMENT))
                .hasMessage(dir.resolve("peekaboo.conf") + ":2: [db] pool_size: \"0\" is out of range"
                        + " (allowed: a whole number from 1 to 200)");
        assertThatThrownBy(() -> load("connect_timeout: 2m\n", NO_ENVIRONMENT))
                .hasMessageStartingWith(dir.resolve("peekaboo.conf") + ":2: [db] connect_timeout: \"2m\" is out of"
                        + " range");
    }

    @Test
    void noPasswordShowsInTheSettings() throws IOException {
        StoreSettings store = load(URL_WITH_PASSWORD, NO_ENVIRONMENT).config().store();

        assertThat(store.toString()).doesNotContain("from-url").contains("password=Optional[***]");
        assertThat(load(URL_WITH_PASSWORD, NO_ENVIRONMENT).config().toString()).doesNotContain("from-url");
    }
}
