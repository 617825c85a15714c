package org.peekaboo.metrics.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in Prometheus' text format (0.0.4), parsed the way Prometheus reads it, so that
 * tests assert on what a scraper sees rather than on the registry's objects: samples by name and
 * labels, and each metric's declared type.
 */
public final class Exposition {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private Exposition(List<Sample> samples, Map<String, String> types) {
        this.samples = List.copyOf(samples);
        this.types = Map.copyOf(types);
    }

    /** Parses {@code text}; a line that is neither a comment nor a sample fails the test. */
    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                types.put(parts[0], parts[1]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                int end = 0;
                while (label.find() && label.start() == end) {
                    labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                            .replace("\\\\", "\\"));
                    end = label.end();
                }
                if (end != sample.group(2).length()) {
                    throw new IllegalArgumentException("labels not parsed: " + line);
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new Exposition(samples, types);
    }

    /**
     * The value of the one sample with this name and exactly these labels ({@code "name",
     * "value"} pairs); fails if there is none.
     */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.stream().filter(sample -> sample.name().equals(name) && sample.labels().equals(wanted))
                .map(Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in " + samples));
    }

    /** Every sample of this name, whatever its labels. */
    public List<Sample> all(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /** The sum over every sample of this name. */
    public double sum(String name) {
        return all(name).stream().mapToDouble(Sample::value).sum();
    }

    /** The type a {@code # TYPE} line declares for the metric family {@code name}. */
    public String type(String name) {
        String type = types.get(name);
        if (type == null) {
            throw new AssertionError("no # TYPE line for " + name + " in " + types.keySet());
        }
        return type;
    }
}
