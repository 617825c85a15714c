package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.deploy.testing.Repository;
import org.peekaboo.testing.ExternalTools;

/**
 * The plugin's Perl unit tests (src/test/perl/*.t) as {@code prove -r src/test/perl} in the
 * module's directory: prove exits non-zero when a test fails, which fails this test. Without
 * prove (Debian's perl package) the test is skipped, and mime_hook.t, which needs amavisd-new's
 * own modules, skips itself without them; scripts/test forbids both skips (see
 * {@link ExternalTools}).
 */
class PluginPerlTest {
    @Test
    void proveRunsThePluginsPerlTests(@TempDir Path temp) throws IOException, InterruptedException {
        Path prove = ExternalTools.assumeOnPath("prove", "perl");
        Path log = temp.resolve("prove.log");
        ProcessBuilder builder = new ProcessBuilder(prove.toString(), "-r", "src/test/perl")
                .directory(Repository.root().resolve("peekaboo-amavis-plugin").toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Read by the .t files that would skip themselves for want of a program or module.
        if (ExternalTools.required()) {
            builder.environment().put("PEEKABOO_TESTS_REQUIRE_TOOLS", "1");
        } else {
            builder.environment().remove("PEEKABOO_TESTS_REQUIRE_TOOLS");
        }
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(output);
        assertThat(finished).as("prove finished within 5 minutes:\n%s", output).isTrue();
        assertThat(process.exitValue()).as("prove's exit code:\n%s", output).isZero();
    }
}
