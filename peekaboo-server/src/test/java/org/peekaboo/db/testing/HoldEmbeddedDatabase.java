package org.peekaboo.db.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;

/**
 * Run in a process of its own: opens the embedded database in the given data directory,
 * prints {@link #READY} and keeps it open until its standard input ends.
 */
public final class HoldEmbeddedDatabase {
    public static final String READY = "HOLDING-DATABASE";

    private HoldEmbeddedDatabase() {
    }

    public static void main(String[] args) throws IOException {
        try (Database database = Database.open(DatabaseSettings.embedded(Path.of(args[0])))) {
            System.out.println(READY);
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
