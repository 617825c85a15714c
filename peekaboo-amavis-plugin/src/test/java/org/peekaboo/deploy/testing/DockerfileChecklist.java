package org.peekaboo.deploy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lint rules our Dockerfiles must pass, in place of hadolint (not packaged for Debian):
 * base images pinned by tag, the runtime stage not running as root unless a {@code # root:}
 * comment says why, a HEALTHCHECK decision in the runtime stage, apt-get installs that
 * leave no recommends and no package lists behind, and Peekaboo built by {@code scripts/build},
 * the command the README and CI use, never by a Maven command of its own.
 */
public final class DockerfileChecklist {
    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern TAGGED = Pattern.compile("^[^:@\\s]+(?::([A-Za-z0-9_][A-Za-z0-9_.-]*))(?:@sha256:[0-9a-f]{64})?$");
    private static final Pattern USER = Pattern.compile("(?i)^USER\\s+(\\S+)\\s*$");
    private static final Pattern MAVEN = Pattern.compile("(^|[\\s;&|(])mvnw?(\\s|$)");
    private static final Pattern SCRIPTS_BUILD = Pattern.compile("(^|\\s)(\\./)?scripts/build(\\s|$)");

    private DockerfileChecklist() {
    }

    /** One Dockerfile instruction, continuation lines joined, with its first line number. */
    record Instruction(int line, String keyword, String arguments) {
    }

    public static List<String> check(Path dockerfile) throws IOException {
        return check(dockerfile.getFileName().toString(), Files.readAllLines(dockerfile));
    }

    /** The problems found, each naming the file and line; empty when the Dockerfile passes. */
    public static List<String> check(String name, List<String> lines) {
        List<String> problems = new ArrayList<>();
        List<Instruction> instructions = instructions(lines);
        Set<String> stages = new HashSet<>();
        int lastFrom = -1;
        boolean mavenStage = false;
        boolean buildsWithScript = false;
        for (int i = 0; i < instructions.size(); i++) {
            Instruction instruction = instructions.get(i);
            String where = name + ":" + instruction.line() + ": ";
            switch (instruction.keyword()) {
                case "FROM" -> {
                    lastFrom = i;
                    Matcher from = FROM.matcher("FROM " + instruction.arguments());
                    if (!from.matches()) {
                        problems.add(where + "unreadable FROM");
                        continue;
                    }
                    String image = from.group(1);
                    if (!stages.contains(image)) {
                        Matcher tagged = TAGGED.matcher(image);
                        if (!tagged.matches()) {
                            problems.add(where + "base image " + image + " is not pinned by a tag");
                        } else if (tagged.group(1).equalsIgnoreCase("latest")) {
                            problems.add(where + "base image " + image + " uses the tag latest");
                        }
                        mavenStage |= image.split("[:@]")[0].matches("(.*/)?maven");
                    }
                    if (from.group(2) != null) {
                        stages.add(from.group(2));
                    }
                }
                case "RUN" -> {
                    String run = instruction.arguments();
                    if (run.contains("apt-get install")) {
                        if (!run.contains("--no-install-recommends")) {
                            problems.add(where + "apt-get install without --no-install-recommends");
                        }
                        if (!run.contains("apt-get update")) {
                            problems.add(where + "apt-get install without apt-get update in the same RUN");
                        }
                        if (!run.contains("rm -rf /var/lib/apt/lists/*")) {
                            problems.add(where + "apt-get install leaves /var/lib/apt/lists behind (rm -rf /var/lib/apt/lists/*)");
                        }
                    }
                    if (MAVEN.matcher(run).find()) {
                        problems.add(where + "runs Maven itself; build with scripts/build, the command CI and the README use");
                    }
                    buildsWithScript |= SCRIPTS_BUILD.matcher(run).find();
                }
                case "ADD" -> {
                    if (instruction.arguments().matches("(?s).*\\bhttps?://.*")) {
                        problems.add(where + "ADD of a URL; download with checksum verification in a RUN instead");
                    }
                }
                default -> {
                }
            }
        }
        if (lastFrom < 0) {
            problems.add(name + ": no FROM");
            return problems;
        }
        if (mavenStage && !buildsWithScript) {
            problems.add(name + ": a Maven stage that does not RUN scripts/build");
        }
        List<Instruction> runtime = instructions.subList(lastFrom, instructions.size());
        String user = null;
        boolean healthcheck = false;
        for (Instruction instruction : runtime) {
            if (instruction.keyword().equals("USER")) {
                Matcher matcher = USER.matcher("USER " + instruction.arguments());
                user = matcher.matches() ? matcher.group(1) : instruction.arguments();
            }
            healthcheck |= instruction.keyword().equals("HEALTHCHECK");
        }
        boolean rootExplained = lines.stream().anyMatch(line -> line.matches("^#\\s*root:\\s*\\S.*"));
        if (user == null && !rootExplained) {
            problems.add(name + ": the runtime stage runs as root (no USER, and no \"# root: why\" comment)");
        } else if (user != null && user.split(":")[0].matches("root|0")) {
            problems.add(name + ": the runtime stage sets USER " + user);
        }
        if (!healthcheck) {
            problems.add(name + ": the runtime stage has no HEALTHCHECK (write HEALTHCHECK NONE for a one-shot job)");
        }
        return problems;
    }

    static List<Instruction> instructions(List<String> lines) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue;   // comment lines inside a continued instruction
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
                result.add(new Instruction(start, keyword, space < 0 ? "" : text.substring(space + 1).strip()));
                current = null;
            }
        }
        return result;
    }
}
