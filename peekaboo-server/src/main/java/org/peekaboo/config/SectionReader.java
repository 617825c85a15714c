package org.peekaboo.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed, validating reads from one section. It remembers every option it was asked about
 * so that {@link #finish()} can reject the ones nobody reads: a misspelt option must stop
 * the start-up rather than silently leave a default in place.
 *
 * <p>Every error names file:line, section, option, the value as written and what is allowed.
 * Not thread-safe; meant to be used once while loading.
 */
public final class SectionReader {
    private static final Map<String, Boolean> BOOLEANS = Map.of(
            "yes", true, "true", true, "on", true, "1", true,
            "no", false, "false", false, "off", false, "0", false);
    private static final Pattern REAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern OCTAL = Pattern.compile("(0[oO])?[0-7]+");
    private static final int MAX_OCTAL = 07777;

    private final String sectionName;
    private final IniSection section;
    /** Every option asked for, read or ignored. */
    private final Set<String> known = new LinkedHashSet<>();
    private final List<ConfigWarning> warnings = new ArrayList<>();

    /** The section may be absent; then every read returns its default. */
    public SectionReader(IniDocument doc, String sectionName) {
        this.sectionName = Objects.requireNonNull(sectionName, "sectionName");
        this.section = doc.section(sectionName).orElse(null);
    }

    public String sectionName() {
        return sectionName;
    }

    /** Whether the section appears in any of the files. */
    public boolean present() {
        return section != null;
    }

    /** Where the option (setting or list) was first given; does not count as reading it. */
    public Optional<ConfigLocation> location(String key) {
        return section == null ? Optional.empty() : section.location(key);
    }

    /** The individual setting as written, or empty; the option counts as read. */
    public Optional<IniValue> raw(String key) {
        String name = remember(key);
        return section == null ? Optional.empty() : section.value(name);
    }

    /**
     * The list items as written, or empty if the list is not given; an empty list if it was
     * given empty (reset). The option counts as read.
     */
    public Optional<List<IniValue>> rawList(String key) {
        String name = remember(key);
        return section == null ? Optional.empty() : section.list(name);
    }

    public String string(String key, String defaultValue) {
        return raw(key).map(IniValue::value).orElse(defaultValue);
    }

    /** The value, or empty if the option is absent or given without a value ({@code key:}). */
    public Optional<String> optionalString(String key) {
        return raw(key).map(IniValue::value).filter(value -> !value.isBlank());
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        IniValue value = raw.get();
        String allowed = "allowed: a whole number from " + min + " to " + max;
        int parsed;
        try {
            parsed = Integer.parseInt(value.value());
        } catch (NumberFormatException e) {
            throw error(value, quote(value) + " is not a whole number (" + allowed + ")");
        }
        if (parsed < min || parsed > max) {
            throw error(value, quote(value) + " is out of range (" + allowed + ")");
        }
        return parsed;
    }

    public double real(String key, double defaultValue) {
        return real(key, defaultValue, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public double real(String key, double defaultValue, double min, double max) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        IniValue value = raw.get();
        String allowed = "allowed: a decimal number" + (Double.isInfinite(min) && Double.isInfinite(max)
                ? ", e.g. 4.5"
                : " from " + min + " to " + max);
        if (!REAL.matcher(value.value()).matches()) {
            throw error(value, quote(value) + " is not a number (" + allowed + ")");
        }
        double parsed = Double.parseDouble(value.value());
        if (Double.isInfinite(parsed) || parsed < min || parsed > max) {
            throw error(value, quote(value) + " is out of range (" + allowed + ")");
        }
        return parsed;
    }

    /** yes/no, true/false, on/off or 1/0, in any case. */
    public boolean bool(String key, boolean defaultValue) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Boolean parsed = BOOLEANS.get(raw.get().value().toLowerCase(Locale.ROOT));
        if (parsed == null) {
            throw error(raw.get(), quote(raw.get())
                    + " is not a yes/no value (allowed: yes, no, true, false, on, off, 1, 0)");
        }
        return parsed;
    }

    /**
     * A size in bytes: a plain number, or a number with K, M, G / KiB, MiB, GiB (1024-based)
     * or KB, MB, GB (1000-based), e.g. {@code 1M}, {@code 25 MiB}.
     */
    public long size(String key, long defaultValue, long min, long max) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        IniValue value = raw.get();
        String allowed = "allowed: " + Units.formatSize(min) + " to " + Units.formatSize(max) + " bytes";
        OptionalLong parsed = Units.parseSize(value.value());
        if (parsed.isEmpty()) {
            throw error(value, quote(value) + " is not a size; write " + Units.SIZE_SYNTAX + " (" + allowed + ")");
        }
        long bytes = parsed.getAsLong();
        if (bytes < min || bytes > max) {
            throw error(value, quote(value) + " (" + bytes + " bytes) is out of range (" + allowed + ")");
        }
        return bytes;
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}; a plain number is seconds. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        IniValue value = raw.get();
        String allowed = "allowed: " + Units.formatDuration(min) + " to " + Units.formatDuration(max);
        Duration parsed = Units.parseDuration(value.value());
        if (parsed == null) {
            throw error(value, quote(value) + " is not a duration; write " + Units.DURATION_SYNTAX
                    + " (" + allowed + ")");
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw error(value, quote(value) + " is out of range (" + allowed + ")");
        }
        return parsed;
    }

    /** An octal number such as a file mode ({@code 0660}, {@code 660} or {@code 0o660}), at most {@code 07777}. */
    public int octal(String key, int defaultValue) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        IniValue value = raw.get();
        String allowed = "allowed: an octal number from 0000 to 7777, e.g. 0660";
        if (!OCTAL.matcher(value.value()).matches()) {
            throw error(value, quote(value) + " is not an octal number (" + allowed + ")");
        }
        String digits = value.value().replaceFirst("^0[oO]", "");
        int parsed;
        try {
            parsed = Integer.parseInt(digits, 8);
        } catch (NumberFormatException e) {
            throw error(value, quote(value) + " is out of range (" + allowed + ")");
        }
        if (parsed > MAX_OCTAL) {
            throw error(value, quote(value) + " is out of range (" + allowed + ")");
        }
        return parsed;
    }

    /** A path as written; relative paths are left for the caller to resolve. */
    public Path path(String key, Path defaultValue) {
        Optional<IniValue> raw = raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (raw.get().value().isBlank()) {
            throw error(raw.get(), "is empty (allowed: a file system path)");
        }
        return pathOf(raw.get());
    }

    /** The path, or empty if the option is absent or given without a value. */
    public Optional<Path> optionalPath(String key) {
        return raw(key).filter(value -> !value.value().isBlank()).map(this::pathOf);
    }

    /** A value already fetched (e.g. a list item) read as a path, with the same error as {@link #path}. */
    public Path pathOf(IniValue value) {
        try {
            return Path.of(value.value());
        } catch (InvalidPathException e) {
            throw error(value, quote(value) + " is not a valid path: " + e.getReason());
        }
    }

    /** The items of the list {@code key.<distinguisher>}; an empty (reset) list stays empty. */
    public List<String> list(String key, List<String> defaultValue) {
        return rawList(key)
                .map(items -> items.stream().map(IniValue::value).toList())
                .orElse(defaultValue);
    }

    /**
     * Accepts an option Peekaboo does not use (typically one from PeekabooAV) and records a
     * warning if it is given, so old files load but the operator learns it has no effect.
     */
    public void ignore(String key, String why) {
        String name = remember(key);
        if (section != null) {
            section.location(name).ifPresent(location ->
                    warnings.add(new ConfigWarning(location, sectionName, name, "ignored: " + why)));
        }
    }

    /** Records a warning about a value, e.g. a deprecated form the caller still accepts. */
    public void warn(IniValue value, String message) {
        warnings.add(new ConfigWarning(value.location(), sectionName, value.key(), message));
    }

    /** An error about a value of this section, in the same form as the reader's own errors. */
    public ConfigException error(IniValue value, String problem) {
        return new ConfigException(value.location(), sectionName, value.key(), problem);
    }

    public List<ConfigWarning> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Fails on the first option (in file order) that no read or {@link #ignore} asked for.
     * Call after all reads.
     */
    public void finish() {
        if (section == null) {
            return;
        }
        for (String key : section.keys()) {
            if (!known.contains(key)) {
                String knownOptions = known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known));
                throw new ConfigException(section.location(key).orElse(section.location()), sectionName, key,
                        "Unknown option; known options: " + knownOptions);
            }
        }
    }

    private String remember(String key) {
        String name = IniSection.normalize(key);
        known.add(name);
        return name;
    }

    private static String quote(IniValue value) {
        return "\"" + value.value().replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
    }
}
