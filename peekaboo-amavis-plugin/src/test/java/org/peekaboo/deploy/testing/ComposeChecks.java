package org.peekaboo.deploy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What can be proved about a compose file without a Docker engine: each check returns the
 * problems it finds, each naming the service, so that a test shows all of them at once.
 * Paths in the file are taken relative to the directory of the compose file.
 */
public final class ComposeChecks {
    // ${NAME}, ${NAME:-default}, ${NAME:?message}, $NAME; $$ is a literal dollar for the container.
    private static final Pattern INTERPOLATION =
            Pattern.compile("(?<!\\$)\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)[^}]*}|([A-Za-z_][A-Za-z0-9_]*))");
    // ${NAME:?...} in a shell script: a variable the script refuses to run without.
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*):\\?");

    private final Path directory;
    private final String text;
    private final Map<String, Object> compose;
    private final Map<String, String> env;

    private ComposeChecks(Path directory, String text, Map<String, Object> compose, Map<String, String> env) {
        this.directory = directory;
        this.text = text;
        this.compose = compose;
        this.env = env;
    }

    public static ComposeChecks load(Path composeFile, Path envFile) throws IOException {
        String text = Files.readString(composeFile);
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> compose = map(yaml.load(text));
        return new ComposeChecks(composeFile.toAbsolutePath().getParent(), text, compose, envFile(envFile));
    }

    /** KEY=VALUE lines; comments and blank lines skipped. */
    public static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                throw new IOException(file + ": not KEY=VALUE: " + line);
            }
            values.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
        }
        return values;
    }

    public Map<String, String> env() {
        return env;
    }

    public Map<String, Object> services() {
        return map(compose.get("services"));
    }

    public Map<String, Object> service(String name) {
        return map(services().get(name));
    }

    /** A service builds from a context with a Dockerfile that exist, or names a pinned image. */
    public List<String> imagesAndBuilds() {
        List<String> problems = new ArrayList<>();
        services().forEach((name, value) -> {
            Map<String, Object> service = map(value);
            Object build = service.get("build");
            if (build != null) {
                Path dockerfile = dockerfile(service);
                if (!Files.isDirectory(context(service))) {
                    problems.add(name + ": build context " + context(service) + " does not exist");
                } else if (!Files.isRegularFile(dockerfile)) {
                    problems.add(name + ": Dockerfile " + dockerfile + " does not exist");
                }
            } else if (!(service.get("image") instanceof String image)) {
                problems.add(name + ": neither image nor build");
            } else if (!image.matches("[^:@\\s]+:[A-Za-z0-9_][A-Za-z0-9_.-]*(@sha256:[0-9a-f]{64})?") || image.endsWith(":latest")) {
                problems.add(name + ": image " + image + " is not pinned by a tag");
            }
        });
        return problems;
    }

    /**
     * Every depends_on names a service and a condition that service can meet: service_healthy
     * needs a health check (in compose.yaml or its Dockerfile), a one-shot job (health check
     * NONE or disabled) is waited for with service_completed_successfully.
     */
    public List<String> dependencies() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            String name = entry.getKey();
            Object dependsOn = map(entry.getValue()).get("depends_on");
            if (dependsOn == null) {
                continue;
            }
            if (!(dependsOn instanceof Map<?, ?>)) {
                problems.add(name + ": depends_on without conditions (write target: {condition: …})");
                continue;
            }
            for (Map.Entry<String, Object> dependency : map(dependsOn).entrySet()) {
                String target = dependency.getKey();
                if (!services().containsKey(target)) {
                    problems.add(name + ": depends on " + target + ", which is no service");
                    continue;
                }
                Object condition = map(dependency.getValue()).get("condition");
                Health health = health(target);
                if ("service_healthy".equals(condition)) {
                    if (health != Health.CHECKED) {
                        problems.add(name + ": waits for " + target + " to be healthy, but it has no health check");
                    }
                } else if ("service_completed_successfully".equals(condition)) {
                    if (health != Health.ONE_SHOT) {
                        problems.add(name + ": waits for " + target + " to complete, but it is a long-running service");
                    }
                } else {
                    problems.add(name + ": depends on " + target + " with condition " + condition
                            + " (service_healthy or service_completed_successfully)");
                }
            }
        }
        return problems;
    }

    enum Health { CHECKED, ONE_SHOT, NONE }

    private Health health(String name) throws IOException {
        Map<String, Object> service = service(name);
        Map<String, Object> healthcheck = map(service.get("healthcheck"));
        if (Boolean.TRUE.equals(healthcheck.get("disable"))) {
            return Health.ONE_SHOT;
        }
        if (healthcheck.get("test") != null) {
            return Health.CHECKED;
        }
        if (service.get("build") != null && Files.isRegularFile(dockerfile(service))) {
            for (String line : Files.readAllLines(dockerfile(service))) {
                String trimmed = line.strip();
                if (trimmed.matches("(?i)HEALTHCHECK\\s+NONE\\s*")) {
                    return Health.ONE_SHOT;
                }
                if (trimmed.matches("(?i)HEALTHCHECK\\s.*")) {
                    return Health.CHECKED;
                }
            }
        }
        return Health.NONE;
    }

    /**
     * Every variable compose.yaml interpolates is in the env file, and every variable a built
     * image's scripts refuse to run without (${NAME:?}) reaches its service, from the
     * service's environment or, with env_file, from the env file.
     */
    public List<String> variables() throws IOException {
        List<String> problems = new ArrayList<>();
        Matcher matcher = INTERPOLATION.matcher(text);
        Set<String> used = new TreeSet<>();
        while (matcher.find()) {
            used.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        for (String variable : used) {
            if (!env.containsKey(variable)) {
                problems.add("compose file: ${" + variable + "} is not defined in the env file");
            }
        }
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            Map<String, Object> service = map(entry.getValue());
            if (service.get("build") == null || !Files.isRegularFile(dockerfile(service))) {
                continue;
            }
            Set<String> available = new TreeSet<>(environment(service).keySet());
            if (service.get("env_file") != null) {
                available.addAll(env.keySet());
            }
            for (Path script : scripts(dockerfile(service).getParent())) {
                Matcher required = REQUIRED.matcher(Files.readString(script));
                while (required.find()) {
                    if (!available.contains(required.group(1))) {
                        problems.add(entry.getKey() + ": " + script.getFileName() + " requires " + required.group(1)
                                + ", which the service does not get");
                    }
                }
            }
        }
        return problems;
    }

    /** Published ports listen on 127.0.0.1 only. */
    public List<String> ports() {
        List<String> problems = new ArrayList<>();
        services().forEach((name, value) -> {
            Object ports = map(value).get("ports");
            if (ports == null) {
                return;
            }
            for (Object port : list(ports)) {
                boolean loopback = port instanceof Map<?, ?> ? "127.0.0.1".equals(map(port).get("host_ip"))
                        : String.valueOf(port).startsWith("127.0.0.1:");
                if (!loopback) {
                    problems.add(name + ": port " + port + " is not bound to 127.0.0.1");
                }
            }
        });
        return problems;
    }

    /** Named volumes the services mount are declared, and every declared one is mounted. */
    public List<String> volumes() {
        List<String> problems = new ArrayList<>();
        Set<String> declared = map(compose.get("volumes")).keySet();
        Set<String> mounted = new TreeSet<>();
        services().forEach((name, value) -> {
            Object volumes = map(value).get("volumes");
            if (volumes == null) {
                return;
            }
            for (Object volume : list(volumes)) {
                String source = volume instanceof Map<?, ?> ? String.valueOf(map(volume).get("source"))
                        : String.valueOf(volume).split(":")[0];
                if (source.startsWith("/") || source.startsWith(".") || source.startsWith("~")) {
                    continue;   // a bind mount
                }
                mounted.add(source);
                if (!declared.contains(source)) {
                    problems.add(name + ": volume " + source + " is not declared under volumes");
                }
            }
        });
        for (String volume : declared) {
            if (!mounted.contains(volume)) {
                problems.add("volume " + volume + " is declared but no service mounts it");
            }
        }
        return problems;
    }

    /** The first subnet of a network's IPAM configuration, or null. */
    public String networkSubnet(String network) {
        Map<String, Object> ipam = map(map(map(compose.get("networks")).get(network)).get("ipam"));
        return list(ipam.get("config")).stream().map(config -> map(config).get("subnet"))
                .map(subnet -> subnet == null ? null : String.valueOf(subnet)).findFirst().orElse(null);
    }

    public static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> result = new LinkedHashMap<>();
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> values) {
            values.forEach((key, value) -> result.put(String.valueOf(key), String.valueOf(value)));
        } else if (environment != null) {
            for (Object item : list(environment)) {
                String[] parts = String.valueOf(item).split("=", 2);
                result.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return result;
    }

    private Path context(Map<String, Object> service) {
        Object build = service.get("build");
        String context = build instanceof Map<?, ?> ? String.valueOf(map(build).getOrDefault("context", ".")) : String.valueOf(build);
        return directory.resolve(context).normalize();
    }

    public Path dockerfile(Map<String, Object> service) {
        Object build = service.get("build");
        String dockerfile = build instanceof Map<?, ?> ? String.valueOf(map(build).getOrDefault("dockerfile", "Dockerfile")) : "Dockerfile";
        return context(service).resolve(dockerfile).normalize();
    }

    private static List<Path> scripts(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".sh")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    public static List<Object> list(Object value) {
        return value instanceof List<?> list ? List.copyOf(list) : List.of();
    }
}
