package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;

class JdbcUrlTest {

    @Test
    void masksPasswordsInSettingsAndInTheAuthority() {
        assertThat(JdbcUrl.masked("jdbc:mariadb://db:3306/peekaboo?user=p&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:mariadb://db:3306/peekaboo?user=p&password=***&ssl=true");
        assertThat(JdbcUrl.masked("jdbc:h2:file:/data/peekaboo;PASSWORD=s3cret;MODE=MariaDB"))
                .isEqualTo("jdbc:h2:file:/data/peekaboo;PASSWORD=***;MODE=MariaDB");
        assertThat(JdbcUrl.masked("jdbc:mysql://peekaboo:s3cret@db:3306/peekaboo"))
                .isEqualTo("jdbc:mysql://peekaboo:***@db:3306/peekaboo");
        assertThat(JdbcUrl.masked("jdbc:h2:file:/data/peekaboo")).isEqualTo("jdbc:h2:file:/data/peekaboo");
        // A failover URL's host list has colons and commas before the database, but no credentials.
        assertThat(JdbcUrl.masked("jdbc:mariadb:sequential://g1:3306,g2:3306/peekaboo?password=s3cret"))
                .isEqualTo("jdbc:mariadb:sequential://g1:3306,g2:3306/peekaboo?password=***");
    }

    @Test
    void picksTheDialectFromTheUrl() {
        assertThat(JdbcUrl.dialect("jdbc:h2:file:/data/peekaboo")).contains(SQLDialect.H2);
        assertThat(JdbcUrl.dialect("jdbc:h2:mem:test")).contains(SQLDialect.H2);
        assertThat(JdbcUrl.dialect("jdbc:mariadb://db/peekaboo")).contains(SQLDialect.MARIADB);
        assertThat(JdbcUrl.dialect("jdbc:mariadb:sequential://g1,g2,g3/peekaboo")).contains(SQLDialect.MARIADB);
        assertThat(JdbcUrl.dialect("jdbc:mysql://db/peekaboo")).contains(SQLDialect.MYSQL);
        assertThat(JdbcUrl.dialect("JDBC:PostgreSQL://db/peekaboo")).contains(SQLDialect.POSTGRES);
        assertThat(JdbcUrl.dialect("jdbc:sqlite:/data/peekaboo.db")).isEmpty();
    }

    @Test
    void addsMissingH2SettingsAndKeepsMatchingOnes() {
        assertThat(JdbcUrl.withRequiredH2Settings("jdbc:h2:file:/data/peekaboo"))
                .isEqualTo("jdbc:h2:file:/data/peekaboo;MODE=MariaDB;DATABASE_TO_LOWER=TRUE");
        assertThat(JdbcUrl.withRequiredH2Settings("jdbc:h2:file:/data/peekaboo;mode=mariadb;CACHE_SIZE=8192"))
                .isEqualTo("jdbc:h2:file:/data/peekaboo;mode=mariadb;CACHE_SIZE=8192;DATABASE_TO_LOWER=TRUE");
        assertThat(JdbcUrl.withRequiredH2Settings(DatabaseSettings.embeddedUrl(Path.of("/data"))))
                .isEqualTo(DatabaseSettings.embeddedUrl(Path.of("/data")));
    }

    @Test
    void refusesH2SettingsThatContradictTheSchema() {
        assertThatThrownBy(() -> JdbcUrl.withRequiredH2Settings("jdbc:h2:file:/data/peekaboo;MODE=Oracle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the H2 URL sets MODE=Oracle but Peekaboo's schema needs MODE=MariaDB");
        assertThatThrownBy(() -> JdbcUrl.withRequiredH2Settings("jdbc:h2:/data/peekaboo;DATABASE_TO_LOWER=FALSE"))
                .hasMessageContaining("DATABASE_TO_LOWER=FALSE");
    }

    @Test
    void findsTheFileOfAnEmbeddedH2Database() {
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:file:/var/lib/peekaboo/peekaboo;MODE=MariaDB"))
                .contains(Path.of("/var/lib/peekaboo/peekaboo"));
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:/var/lib/peekaboo/db")).contains(Path.of("/var/lib/peekaboo/db"));
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:./data/db")).contains(Path.of("./data/db"));
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:~/peekaboo/db"))
                .contains(Path.of(System.getProperty("user.home") + "/peekaboo/db"));
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEmpty();
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:tcp://db:9092/peekaboo")).isEmpty();
        assertThat(JdbcUrl.h2DatabaseFile("jdbc:h2:zip:/backups/db.zip!/peekaboo")).isEmpty();
    }
}
