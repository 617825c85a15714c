package org.peekaboo.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the try-it-out defaults depend on, captured once so tests can supply their own.
 *
 * @param env    environment variables (only the XDG ones are used)
 * @param home   the user's home directory
 * @param cwd    the current working directory
 * @param tmpDir the temporary directory
 * @param user   the user name
 */
public record EmbeddedEnvironment(Map<String, String> env, Path home, Path cwd, Path tmpDir, String user) {
    public EmbeddedEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(tmpDir, "tmpDir");
        Objects.requireNonNull(user, "user");
    }

    public static EmbeddedEnvironment current() {
        return new EmbeddedEnvironment(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.io.tmpdir")),
                System.getProperty("user.name"));
    }
}
