package org.peekaboo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.peekaboo.deploy.testing.DockerfileChecklist;
import org.peekaboo.deploy.testing.Repository;

/**
 * The Dockerfiles under docker/ pass the checklist that stands in for hadolint, and the
 * checklist does fail a Dockerfile with the mistakes it is meant to catch.
 */
class DockerfileChecklistTest {
    @Test
    void everyDockerfileOfTheRepositoryPasses() throws IOException {
        List<Path> dockerfiles;
        try (Stream<Path> files = Files.walk(Repository.root().resolve("docker"))) {
            dockerfiles = files.filter(file -> file.getFileName().toString().equals("Dockerfile")).sorted().toList();
        }
        assertThat(dockerfiles).extracting(file -> file.getParent().getFileName().toString())
                .containsExactly("amavis", "cortex-setup", "peekaboo", "postfix", "rspamd");
        for (Path dockerfile : dockerfiles) {
            assertThat(DockerfileChecklist.check(dockerfile)).as("%s", dockerfile).isEmpty();
        }
    }

    @Test
    void peekabooIsBuiltByTheCommandTheReadmeAndCiUse() throws IOException {
        String dockerfile = Files.readString(Repository.root().resolve("docker/peekaboo/Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^RUN (--mount=\\S+ )*scripts/build$");
        assertThat(Files.readString(Repository.root().resolve("README.md"))).contains("scripts/build && ./peekaboo serve");
    }

    @Test
    void aBrokenDockerfileFailsWithEveryMistakeNamed() throws IOException {
        assertThat(DockerfileChecklist.check(Path.of("src/test/resources/deploy/broken.Dockerfile"))).containsExactlyInAnyOrder(
                "broken.Dockerfile:2: base image maven is not pinned by a tag",
                "broken.Dockerfile:4: runs Maven itself; build with scripts/build, the command CI and the README use",
                "broken.Dockerfile:6: base image debian:latest uses the tag latest",
                "broken.Dockerfile:7: ADD of a URL; download with checksum verification in a RUN instead",
                "broken.Dockerfile:8: apt-get install without --no-install-recommends",
                "broken.Dockerfile:8: apt-get install without apt-get update in the same RUN",
                "broken.Dockerfile:8: apt-get install leaves /var/lib/apt/lists behind (rm -rf /var/lib/apt/lists/*)",
                "broken.Dockerfile:9: apt-get install leaves /var/lib/apt/lists behind (rm -rf /var/lib/apt/lists/*)",
                "broken.Dockerfile: a Maven stage that does not RUN scripts/build",
                "broken.Dockerfile: the runtime stage sets USER root",
                "broken.Dockerfile: the runtime stage has no HEALTHCHECK (write HEALTHCHECK NONE for a one-shot job)");
    }

    @Test
    void continuedLinesAndCommentsInsideThemFormOneInstruction() {
        List<String> problems = DockerfileChecklist.check("continued", List.of(
                "FROM debian:bookworm-slim",
                "RUN apt-get update \\",
                "    # a comment between continuation lines",
                "    && apt-get install -y --no-install-recommends curl \\",
                "    && rm -rf /var/lib/apt/lists/*",
                "USER 1000:1000",
                "HEALTHCHECK CMD [\"true\"]"));
        assertThat(problems).isEmpty();
    }
}
