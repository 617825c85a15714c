package org.peekaboo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.peekaboo.deploy.testing.ComposeChecks;
import org.peekaboo.deploy.testing.Repository;

/**
 * compose.yaml, checked as far as that is possible without a Docker engine: the images and
 * builds exist, every dependency can be met, the variables are defined, nothing listens
 * beyond the loopback interface, and the settings that must agree across services do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {
    private ComposeChecks compose;
    private ComposeChecks broken;

    @BeforeAll
    void load() throws IOException {
        Path root = Repository.root();
        compose = ComposeChecks.load(root.resolve("compose.yaml"), root.resolve("compose.env"));
        Path fixtures = Path.of("src/test/resources/deploy").toAbsolutePath();
        broken = ComposeChecks.load(fixtures.resolve("broken-compose.yaml"), fixtures.resolve("broken-compose.env"));
    }

    @Test
    void everyServiceHasAPinnedImageOrABuildThatExists() {
        assertThat(compose.imagesAndBuilds()).isEmpty();
        assertThat(broken.imagesAndBuilds()).containsExactlyInAnyOrder(
                "unpinned: image mariadb is not pinned by a tag",
                "latest: image mariadb:latest is not pinned by a tag",
                "missing-build: Dockerfile " + Path.of("src/test/resources/deploy/docker/nothing/Dockerfile").toAbsolutePath()
                        + " does not exist");
    }

    @Test
    void everyDependencyNamesAServiceAndAConditionItCanMeet() throws IOException {
        assertThat(compose.dependencies()).isEmpty();
        assertThat(broken.dependencies()).containsExactlyInAnyOrder(
                "waits-for-health: waits for unpinned to be healthy, but it has no health check",
                "waits-for-health: depends on ghost, which is no service",
                "waits-for-job: waits for latest to complete, but it is a long-running service",
                "just-started: depends on latest with condition service_started (service_healthy or service_completed_successfully)",
                "short-form: depends_on without conditions (write target: {condition: …})");
    }

    @Test
    void everyVariableIsDefinedWhereItIsRead() throws IOException {
        assertThat(compose.variables()).isEmpty();
        assertThat(broken.variables()).containsExactly("compose file: ${UNDEFINED_SECRET} is not defined in the env file");
    }

    @Test
    void everyPublishedPortIsBoundToLoopback() {
        assertThat(compose.ports()).isEmpty();
        assertThat(broken.ports()).containsExactlyInAnyOrder(
                "unpinned: port 8025:25 is not bound to 127.0.0.1",
                "latest: port 0.0.0.0:9001:9001 is not bound to 127.0.0.1");
    }

    @Test
    void namedVolumesAreDeclaredAndUsed() {
        assertThat(compose.volumes()).isEmpty();
        assertThat(broken.volumes()).containsExactlyInAnyOrder(
                "latest: volume undeclared is not declared under volumes",
                "volume unused is declared but no service mounts it");
    }

    @Test
    void peekabooAndMariaDbShareOneDatabasePassword() {
        Map<String, String> env = compose.env();
        assertThat(env.get("PEEKABOO_DB_PASSWORD")).isNotBlank().isEqualTo(env.get("MARIADB_PASSWORD"));
        assertThat(env.get("MARIADB_USER")).isEqualTo(ComposeChecks.environment(compose.service("peekaboo")).get("PEEKABOO_DB_USER"));
    }

    @Test
    void settingsThatSpanServicesAgree() throws IOException {
        // amavis and Postfix admit the demo network by its subnet, which compose creates.
        Map<String, String> amavis = ComposeChecks.environment(compose.service("amavis"));
        assertThat(amavis.get("DEMO_SUBNET")).isEqualTo(compose.networkSubnet("pipeline"));
        assertThat(ComposeChecks.environment(compose.service("postfix-rx")).get("DEMO_SUBNET")).isEqualTo(amavis.get("DEMO_SUBNET"));
        // Peekaboo's TCP listener admits amavis' network only.
        assertThat(ComposeChecks.environment(compose.service("peekaboo")).get("PEEKABOO_ALLOWED_CLIENTS"))
                .isEqualTo(amavis.get("DEMO_SUBNET"));

        // Peekaboo reads amavis' part files (0640 amavis:amavis) through amavis' group id.
        Matcher gid = Pattern.compile("(?m)^ARG AMAVIS_GID=(\\d+)$")
                .matcher(Files.readString(Repository.root().resolve("docker/amavis/Dockerfile")));
        assertThat(gid.find()).as("ARG AMAVIS_GID in docker/amavis/Dockerfile").isTrue();
        assertThat(ComposeChecks.list(compose.service("peekaboo").get("group_add"))).containsExactly(gid.group(1));

        // The key cortex-setup writes is the one Peekaboo reads.
        assertThat(ComposeChecks.environment(compose.service("peekaboo")).get("PEEKABOO_CORTEX_API_TOKEN_FILE"))
                .isEqualTo(ComposeChecks.environment(compose.service("cortex-setup")).get("CORTEX_TOKEN_FILE"));
    }
}
