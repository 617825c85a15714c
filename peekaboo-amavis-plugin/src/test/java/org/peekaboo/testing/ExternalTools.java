package org.peekaboo.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs outside the JDK that some unit tests run (shellcheck, prove). Where one is missing,
 * {@code mvn test} skips the test and names what to install, so that a developer with only a
 * JDK and Maven gets a green build. scripts/test, which installs these programs first, sets
 * {@value #REQUIRED_PROPERTY}{@code =true}: there a missing program fails the test instead,
 * so the suite that CI runs can never skip a check silently.
 */
public final class ExternalTools {
    /** The system property (passed on by the module's Surefire configuration) that forbids skipping. */
    public static final String REQUIRED_PROPERTY = "peekaboo.tests.requireTools";

    private ExternalTools() {
    }

    /** Whether this run must not skip a check for want of a program. */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRED_PROPERTY);
    }

    /**
     * The program's path on PATH. Without it the calling test is skipped with the reason, or
     * fails when the programs are {@linkplain #required() required}.
     */
    public static Path assumeOnPath(String program, String debianPackage) {
        Optional<Path> found = onPath(program);
        if (found.isPresent()) {
            return found.get();
        }
        String reason = program + " is not on PATH (Debian package " + debianPackage
                + "; scripts/test installs it when run as root)";
        if (required()) {
            return fail(reason + ", and " + REQUIRED_PROPERTY + "=true forbids skipping this check");
        }
        // Surefire's summary counts skipped tests but does not say why; this line does.
        System.err.println("SKIPPED: " + reason);
        return Assumptions.abort(reason);
    }

    /** The first executable file named {@code program} in a directory of PATH. */
    public static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
