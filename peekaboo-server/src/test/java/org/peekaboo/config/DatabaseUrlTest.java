package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            jdbc:mariadb://db:3306/peekaboo?user=p&password=s  | jdbc:mariadb://db:3306/peekaboo?user=p&password=s | -        | -
            jdbc:h2:file:/var/lib/peekaboo/peekaboo             | jdbc:h2:file:/var/lib/peekaboo/peekaboo             | -        | -
            mysql://peekaboo:secret@db.example.org/peekaboo     | jdbc:mariadb://db.example.org:3306/peekaboo         | peekaboo | secret
            mysql://peekaboo:secret@db.example.org:3307/pk      | jdbc:mariadb://db.example.org:3307/pk               | peekaboo | secret
            mysql+mysqldb://peekaboo:pw@localhost/peekaboo      | jdbc:mariadb://localhost:3306/peekaboo              | peekaboo | pw
            mysql+pymysql://peekaboo:pw@127.0.0.1:3306/p_1      | jdbc:mariadb://127.0.0.1:3306/p_1                   | peekaboo | pw
            mariadb://peekaboo:pw@db/peekaboo                   | jdbc:mariadb://db:3306/peekaboo                     | peekaboo | pw
            mariadb+mariadbconnector://u:pw@db/peekaboo         | jdbc:mariadb://db:3306/peekaboo                     | u        | pw
            MySQL://u:pw@db/peekaboo                            | jdbc:mariadb://db:3306/peekaboo                     | u        | pw
            mysql://peekaboo@db/peekaboo                        | jdbc:mariadb://db:3306/peekaboo                     | peekaboo | -
            mysql://db/peekaboo                                 | jdbc:mariadb://db:3306/peekaboo                     | -        | -
            mysql://u:@db/peekaboo                              | jdbc:mariadb://db:3306/peekaboo                     | u        | ''
            mysql://u:p%40ss%3Aw%2Fo%25rd@db/peekaboo           | jdbc:mariadb://db:3306/peekaboo                     | u        | p@ss:w/o%rd
            mysql://u:p+s%20s@db/peekaboo                       | jdbc:mariadb://db:3306/peekaboo                     | u        | p+s s
            mysql://u:%C3%BCber@db/peekaboo                     | jdbc:mariadb://db:3306/peekaboo                     | u        | über
            mysql://u:unencoded@at@db/peekaboo                  | jdbc:mariadb://db:3306/peekaboo                     | u        | unencoded@at
            mysql://us%65r:pw@db/peekaboo                       | jdbc:mariadb://db:3306/peekaboo                     | user     | pw
            mysql://u:pw@[::1]:3307/peekaboo                    | jdbc:mariadb://[::1]:3307/peekaboo                  | u        | pw
            mysql://u:pw@[::1]/peekaboo                         | jdbc:mariadb://[::1]:3306/peekaboo                  | u        | pw
            mysql://u:pw@db/peekaboo?charset=utf8mb4            | jdbc:mariadb://db:3306/peekaboo                     | u        | pw
            mysql://u:pw@g1,g2:3307,[::1]/peekaboo              | jdbc:mariadb:sequential://g1:3306,g2:3307,[::1]:3306/peekaboo | u | pw
            jdbc:mariadb:sequential://g1,g2/peekaboo?user=u     | jdbc:mariadb:sequential://g1,g2/peekaboo?user=u     | -        | -
            """)
    void translatesToAJdbcUrlWithCredentialsApart(String text, String jdbcUrl, String user, String password) {
        DatabaseUrl url = DatabaseUrl.parse(text);

        assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
        assertThat(url.user()).isEqualTo(Optional.ofNullable(user));
        assertThat(url.password().map(Secret::value)).isEqualTo(Optional.ofNullable(password));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mysql://u:s3cret@db                              | the database URL names no database
            mysql://u:s3cret@db/                             | the database URL names no database
            mysql://u:s3cret@/peekaboo                       | the database URL names no host
            mysql://u:s3cret@:3306/peekaboo                  | the database URL names no host
            mysql://:s3cret@db/peekaboo                      | the database URL has an '@' but no user name before it
            mysql://u:s3cret@db:port/peekaboo                | the database URL's port "port" is not a number from 1 to 65535
            mysql://u:s3cret@db:0/peekaboo                   | the database URL's port 0 is out of range (1 to 65535)
            mysql://u:s3cret@db:65536/peekaboo               | the database URL's port 65536 is out of range (1 to 65535)
            mysql://u:s3cret@db/peek;aboo                    | the database name "peek;aboo" in the URL may have only letters
            mysql://u:s3cret@db/peekaboo/x                   | the database name "peekaboo/x" in the URL may have only letters
            mysql://u:s3cret@db host/peekaboo                | the database URL's host "db host" is not a host name or IP address
            mysql://u:s3cret@g1,,g3/peekaboo                 | the database URL names no host
            mysql://u:s3cret@g1,/peekaboo                    | the database URL names no host
            mysql://u:s3cret@g1,g2:x/peekaboo                | the database URL's port "x" is not a number from 1 to 65535
            mysql://u:s3cret%zz@db/peekaboo                  | the password in the database URL has a '%' at position 7
            mysql://u:s3cret%4@db/peekaboo                   | the password in the database URL has a '%' at position 7
            mysql://u:s3cret%FF@db/peekaboo                  | the password in the database URL is percent-encoded but not UTF-8
            mysql://u:s3cret@db/peekaboo?ssl=true            | the database URL option "ssl" is not supported
            postgresql://u:s3cret@db/peekaboo                | database URLs of scheme postgresql:// are not supported
            sqlite:////var/lib/peekaboo/s3cret.db            | database URLs of scheme sqlite:// are not supported
            u:s3cret@db/peekaboo                             | the database URL is neither a JDBC URL
            jdbc:                                            | the database URL is no JDBC URL
            """)
    void refusesBrokenUrlsWithoutShowingThePassword(String text, String message) {
        assertThatThrownBy(() -> DatabaseUrl.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void thePasswordIsNeverShown() {
        DatabaseUrl url = DatabaseUrl.parse("mysql://peekaboo:s3cret@db/peekaboo");

        assertThat(url.toString()).doesNotContain("s3cret")
                .isEqualTo("DatabaseUrl[jdbcUrl=jdbc:mariadb://db:3306/peekaboo, user=Optional[peekaboo],"
                        + " password=Optional[***]]");
    }
}
