package org.peekaboo.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code [section]} with everything the main file and its drop files say about it,
 * already merged: a later file's individual setting replaces an earlier one, list items
 * are appended. Immutable.
 */
public final class IniSection {

    /** What one option name stands for after merging. */
    sealed interface Entry {
        ConfigLocation location();
    }

    /** An individual setting ({@code key: value}). */
    record Single(IniValue value) implements Entry {
        @Override
        public ConfigLocation location() {
            return value.location();
        }
    }

    /**
     * A list ({@code key.<distinguisher>: value} lines). The location is that of the first line
     * that mentioned the list, so an empty (reset) list can still be pointed at.
     */
    record ListEntry(List<IniValue> items, ConfigLocation location) implements Entry {
        ListEntry {
            items = List.copyOf(items);
        }
    }

    private final String name;
    private final ConfigLocation location;
    private final Map<String, Entry> entries;

    IniSection(String name, ConfigLocation location, Map<String, Entry> entries) {
        this.name = Objects.requireNonNull(name, "name");
        this.location = Objects.requireNonNull(location, "location");
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public String name() {
        return name;
    }

    /** The first {@code [name]} header, in the main file if it has one. */
    public ConfigLocation location() {
        return location;
    }

    /** The option names (list names without distinguisher), in the order they first appeared. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** Where the option was first given, whether individual setting or list. */
    public Optional<ConfigLocation> location(String key) {
        return Optional.ofNullable(entries.get(normalize(key))).map(Entry::location);
    }

    /** Whether the option was given as a list ({@code key.<distinguisher>} lines). */
    public boolean isList(String key) {
        return entries.get(normalize(key)) instanceof ListEntry;
    }

    /**
     * The individual setting, empty if the option is not given.
     *
     * @throws ConfigException if the option was given as a list, because reading it as a
     *                         single value would silently ignore what the operator wrote
     */
    public Optional<IniValue> value(String key) {
        Entry entry = entries.get(normalize(key));
        if (entry == null) {
            return Optional.empty();
        }
        if (entry instanceof Single single) {
            return Optional.of(single.value());
        }
        throw new ConfigException(entry.location(), name, normalize(key),
                "is supposed to be an individual setting but given as a list");
    }

    /**
     * The list items in order, empty if the option is not given; an empty list if it was
     * reset and nothing followed.
     *
     * @throws ConfigException if the option was given as an individual setting
     */
    public Optional<List<IniValue>> list(String key) {
        Entry entry = entries.get(normalize(key));
        if (entry == null) {
            return Optional.empty();
        }
        if (entry instanceof ListEntry list) {
            return Optional.of(list.items());
        }
        throw new ConfigException(entry.location(), name, normalize(key),
                "is supposed to be a list but given as individual setting; write it as "
                        + normalize(key) + ".0: ... (one line per item)");
    }

    @Override
    public String toString() {
        return "[" + name + "] " + entries.keySet();
    }

    static String normalize(String key) {
        return key.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
