package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void theEmbeddedDatabaseIsAnH2FileInTheDataDirectory() {
        DatabaseSettings settings = DatabaseSettings.embedded(Path.of("/var/lib/peekaboo/./data"));

        assertThat(settings.url()).isEqualTo("jdbc:h2:file:/var/lib/peekaboo/data/peekaboo;MODE=MariaDB;DATABASE_TO_LOWER=TRUE");
        assertThat(settings.maxConnections()).isEqualTo(DatabaseSettings.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void aDataDirectoryWithASemicolonIsRefusedBecauseH2WouldReadItAsSettings() {
        assertThatThrownBy(() -> DatabaseSettings.embedded(Path.of("/data;MODE=Oracle")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain ';'");
    }

    @Test
    void refusesWhatIsNoJdbcUrlWithoutShowingItsPassword() {
        assertThatThrownBy(() -> new DatabaseSettings("mariadb://db/p?password=s3cret", "p", null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("database URL must be a JDBC URL starting with jdbc:, got 'mariadb://db/p?password=***'");
    }

    @Test
    void refusesAnEmptyPool() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:h2:mem:x", null, null, 0))
                .hasMessage("database pool size must be at least 1, got 0");
    }

    @Test
    void refusesAConnectTimeoutThePoolCannotKeep() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:h2:mem:x", null, null, 1, Duration.ofMillis(100)))
                .hasMessage("database connect timeout must be at least 250ms, got 100ms");
        assertThat(new DatabaseSettings("jdbc:h2:mem:x", null, null, 1).connectTimeout())
                .isEqualTo(DatabaseSettings.DEFAULT_CONNECT_TIMEOUT);
    }

    @Test
    void neverShowsThePassword() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:mariadb://db/p?password=in-url", "peekaboo",
                "in-settings", 4);

        assertThat(settings.toString())
                .isEqualTo("DatabaseSettings[url=jdbc:mariadb://db/p?password=***, user=peekaboo, password=***,"
                        + " maxConnections=4, connectTimeout=5000ms]");
    }
}
