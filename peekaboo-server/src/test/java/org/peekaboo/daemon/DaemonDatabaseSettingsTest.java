package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peekaboo.config.RetentionSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.db.DatabaseSettings;

class DaemonDatabaseSettingsTest {

    @Test
    void anExternalDatabaseGetsTheConfiguredCredentialsAndPool() {
        StoreSettings store = new StoreSettings(Path.of("/var/lib/peekaboo"),
                Optional.of("jdbc:mariadb://db:3306/peekaboo"), Optional.of("peekaboo"),
                Optional.of(new Secret("s3cret")), 25, Duration.ofSeconds(2), RetentionSettings.defaults());

        assertThat(Daemon.databaseSettings(store)).isEqualTo(new DatabaseSettings("jdbc:mariadb://db:3306/peekaboo",
                "peekaboo", "s3cret", 25, Duration.ofSeconds(2)));
    }

    @Test
    void anExternalDatabaseWithoutCredentialsLeavesThemToTheUrl() {
        StoreSettings store = new StoreSettings(Path.of("/var/lib/peekaboo"),
                Optional.of("jdbc:mariadb://db/peekaboo?user=u&password=p"));

        DatabaseSettings settings = Daemon.databaseSettings(store);

        assertThat(settings.user()).isNull();
        assertThat(settings.password()).isNull();
        assertThat(settings.maxConnections()).isEqualTo(StoreSettings.DEFAULT_POOL_SIZE);
    }

    @Test
    void theEmbeddedDatabaseKeepsItsOwnLoginButTakesThePoolSettings() {
        StoreSettings store = new StoreSettings(Path.of("/srv/data"), Optional.empty(), Optional.empty(),
                Optional.empty(), 3, Duration.ofSeconds(1), RetentionSettings.defaults());

        assertThat(Daemon.databaseSettings(store)).isEqualTo(new DatabaseSettings(
                DatabaseSettings.embeddedUrl(Path.of("/srv/data")), "sa", "", 3, Duration.ofSeconds(1)));
    }
}
