package org.peekaboo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.peekaboo.deploy.testing.ComposeChecks;
import org.peekaboo.deploy.testing.Repository;

/**
 * compose.yaml (amavis) and compose.rspamd.yaml, checked as far as that is possible without a
 * Docker engine: the images and builds exist, every dependency can be met, the variables are
 * defined, nothing listens beyond the loopback interface, and the settings that must agree
 * across services and image files do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposeFileTest {
    private ComposeChecks compose;
    private ComposeChecks rspamd;
    private ComposeChecks broken;

    @BeforeAll
    void load() throws IOException {
        Path root = Repository.root();
        compose = ComposeChecks.load(root.resolve("compose.yaml"), root.resolve("compose.env"));
        rspamd = ComposeChecks.load(root.resolve("compose.rspamd.yaml"), root.resolve("compose.env"));
        Path fixtures = Path.of("src/test/resources/deploy").toAbsolutePath();
        broken = ComposeChecks.load(fixtures.resolve("broken-compose.yaml"), fixtures.resolve("broken-compose.env"));
    }

    @Test
    void everyServiceHasAPinnedImageOrABuildThatExists() {
        assertThat(compose.imagesAndBuilds()).isEmpty();
        assertThat(rspamd.imagesAndBuilds()).isEmpty();
        assertThat(broken.imagesAndBuilds()).containsExactlyInAnyOrder(
                "unpinned: image mariadb is not pinned by a tag",
                "latest: image mariadb:latest is not pinned by a tag",
                "missing-build: Dockerfile " + Path.of("src/test/resources/deploy/docker/nothing/Dockerfile").toAbsolutePath()
                        + " does not exist");
    }

    @Test
    void everyDependencyNamesAServiceAndAConditionItCanMeet() throws IOException {
        assertThat(compose.dependencies()).isEmpty();
        assertThat(rspamd.dependencies()).isEmpty();
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
        assertThat(rspamd.variables()).isEmpty();
        assertThat(broken.variables()).containsExactly("compose file: ${UNDEFINED_SECRET} is not defined in the env file");
    }

    @Test
    void everyPublishedPortIsBoundToLoopback() {
        assertThat(compose.ports()).isEmpty();
        assertThat(rspamd.ports()).isEmpty();
        assertThat(broken.ports()).containsExactlyInAnyOrder(
                "unpinned: port 8025:25 is not bound to 127.0.0.1",
                "latest: port 0.0.0.0:9001:9001 is not bound to 127.0.0.1");
    }

    @Test
    void namedVolumesAreDeclaredAndUsed() {
        assertThat(compose.volumes()).isEmpty();
        assertThat(rspamd.volumes()).isEmpty();
        assertThat(broken.volumes()).containsExactlyInAnyOrder(
                "latest: volume undeclared is not declared under volumes",
                "volume unused is declared but no service mounts it");
    }

    @Test
    void peekabooAndMariaDbShareOneDatabasePassword() {
        Map<String, String> env = compose.env();
        assertThat(env.get("PEEKABOO_DB_PASSWORD")).isNotBlank().isEqualTo(env.get("MARIADB_PASSWORD"));
        assertThat(env.get("MARIADB_USER")).isEqualTo(ComposeChecks.environment(compose.service("peekaboo")).get("PEEKABOO_DB_USER"));
        assertThat(env.get("MARIADB_USER")).isEqualTo(ComposeChecks.environment(rspamd.service("peekaboo")).get("PEEKABOO_DB_USER"));
    }

    @Test
    void theRspamdPipelineHasTheShowcasesServices() {
        assertThat(rspamd.services()).containsKeys("postfix_tx", "postfix_rx", "rspamd", "peekaboo", "mariadb",
                "cortex", "cortex_setup");
    }

    @Test
    void rspamdSettingsThatSpanServicesAndImagesAgree() throws IOException {
        Path root = Repository.root();
        String subnet = rspamd.networkSubnet("pipeline");
        // Postfix admits the demo network, Peekaboo's clamd listener admits it only.
        for (String postfix : new String[] {"postfix_tx", "postfix_rx", "demo_send"}) {
            assertThat(ComposeChecks.environment(rspamd.service(postfix)).get("DEMO_SUBNET")).as(postfix).isEqualTo(subnet);
        }
        assertThat(ComposeChecks.environment(rspamd.service("peekaboo")).get("PEEKABOO_ALLOWED_CLIENTS")).isEqualTo(subnet);
        // Both demos may run at once: their networks and host ports differ.
        assertThat(subnet).isNotEqualTo(compose.networkSubnet("pipeline"));

        // The Postfix image's tx role relays to postfix-rx and demo-send sends to postfix-tx:
        // names the services answer to.
        String postfixEntrypoint = Files.readString(root.resolve("docker/postfix/entrypoint.sh"));
        assertThat(postfixEntrypoint).contains("\"relayhost = [postfix-rx]:25\"");
        assertThat(aliases("postfix_rx")).contains("postfix-rx");
        assertThat(Files.readString(root.resolve("docker/postfix/demo-send.sh"))).contains("${DEMO_SMTP:-postfix-tx:25}");
        assertThat(aliases("postfix_tx")).contains("postfix-tx");

        // postfix_rx asks rspamd's proxy worker, which listens where the milter setting says.
        assertThat(postfixEntrypoint).contains("\"smtpd_milters = $POSTFIX_MILTER\"", "\"milter_default_action = tempfail\"");
        assertThat(ComposeChecks.environment(rspamd.service("postfix_rx")).get("POSTFIX_MILTER")).isEqualTo("inet:rspamd:11332");
        String proxy = Files.readString(root.resolve("docker/rspamd/override.d/worker-proxy.inc"));
        assertThat(proxy).contains("bind_socket = \"*:11332\";", "milter = yes;", "self_scan = yes;");
        String dockerfile = Files.readString(root.resolve("docker/rspamd/Dockerfile"));
        assertThat(dockerfile).contains("PeerPort => 11332");
        // The image uses the shipped rspamd files, not a copy of their content.
        assertThat(dockerfile).containsPattern("(?m)^COPY config/rspamd/local\\.d/ /etc/rspamd/local\\.d/$");

        // rspamd asks Peekaboo's clamd listener, which the mounted drop-in opens with profile rspamd.
        assertThat(ComposeChecks.environment(rspamd.service("rspamd")).get("PEEKABOO_CLAMD")).isEqualTo("peekaboo:3310");
        String dropIn = Files.readString(root.resolve("docker/rspamd/peekaboo-clamd.conf"));
        assertThat(dropIn).containsPattern("(?m)^listen: 0\\.0\\.0\\.0:3310$").containsPattern("(?m)^profile: rspamd$");
        assertThat(ComposeChecks.list(rspamd.service("peekaboo").get("volumes")))
                .contains("./docker/rspamd/peekaboo-clamd.conf:/etc/peekaboo/peekaboo.conf.d/10-clamd-rspamd.conf:ro");

        // The key cortex_setup writes is the one Peekaboo reads.
        assertThat(ComposeChecks.environment(rspamd.service("peekaboo")).get("PEEKABOO_CORTEX_API_TOKEN_FILE"))
                .isEqualTo(ComposeChecks.environment(rspamd.service("cortex_setup")).get("CORTEX_TOKEN_FILE"));
    }

    private List<Object> aliases(String service) {
        return ComposeChecks.list(ComposeChecks.map(ComposeChecks.map(rspamd.service(service).get("networks")).get("pipeline"))
                .get("aliases"));
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
