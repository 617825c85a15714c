package org.peekaboo.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A configuration file together with its drop files ({@code <file>.d/NN-*.conf}), parsed and
 * merged. Drop files let packages and configuration management add or override settings
 * without editing the main file: individual settings in a later file replace earlier ones,
 * list items are appended, and {@code name.-: -} empties a list so a drop file can replace it.
 * Immutable.
 */
public final class IniDocument {

    /** PeekabooAV's default drop file glob {@code [0-9][0-9]-*.conf}. */
    private static final Pattern DROP_FILE_NAME = Pattern.compile("[0-9][0-9]-.*\\.conf");
    private static final String LIST_RESET = "-";

    private final List<IniSection> sections;
    private final List<Path> files;

    private IniDocument(List<IniSection> sections, List<Path> files) {
        this.sections = List.copyOf(sections);
        this.files = List.copyOf(files);
    }

    /**
     * Reads the main file, then every file in the directory {@code <mainFile>.d/} whose name
     * matches {@code [0-9][0-9]-*.conf}, in lexicographic order.
     *
     * @throws ConfigException if the main file is missing, a file cannot be read or a file
     *                         is not valid
     */
    public static IniDocument load(Path mainFile) {
        if (!Files.exists(mainFile)) {
            throw new ConfigException("Configuration file " + mainFile + " does not exist");
        }
        if (!Files.isRegularFile(mainFile)) {
            throw new ConfigException("Configuration file " + mainFile + " is not a regular file");
        }
        Merger merger = new Merger();
        merger.add(mainFile, read(mainFile));
        for (Path dropFile : dropFiles(mainFile)) {
            merger.add(dropFile, read(dropFile));
        }
        return merger.document();
    }

    /** Parses one file's text; {@code name} is only used for locations in messages. */
    public static IniDocument parse(Path name, String text) {
        Merger merger = new Merger();
        merger.add(name, text);
        return merger.document();
    }

    /** The sections in the order they first appeared. */
    public List<IniSection> sections() {
        return sections;
    }

    public Optional<IniSection> section(String name) {
        return sections.stream().filter(section -> section.name().equals(name)).findFirst();
    }

    /** The files that were read, main file first. */
    public List<Path> files() {
        return files;
    }

    /**
     * Rejects sections the caller does not understand, because a misspelt section header
     * would otherwise silently leave all its settings at their defaults.
     */
    public void requireSectionsIn(Set<String> allowed) {
        for (IniSection section : sections) {
            if (!allowed.contains(section.name())) {
                throw ConfigException.at(section.location(), "Unknown section [" + section.name()
                        + "]; known sections: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    private static List<Path> dropFiles(Path mainFile) {
        Path directory = mainFile.resolveSibling(mainFile.getFileName() + ".d");
        if (!Files.exists(directory)) {
            return List.of();
        }
        if (!Files.isDirectory(directory)) {
            throw new ConfigException("Drop file directory " + directory + " is not a directory");
        }
        List<Path> matching = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (DROP_FILE_NAME.matcher(entry.getFileName().toString()).matches()) {
                    matching.add(entry);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("Cannot list drop file directory " + directory + ": " + e.getMessage(), e);
        }
        matching.sort(Comparator.comparing(path -> path.getFileName().toString()));
        for (Path dropFile : matching) {
            if (!Files.isRegularFile(dropFile)) {
                throw new ConfigException("Drop file " + dropFile + " is not a regular file");
            }
        }
        return matching;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException("Configuration file " + file + " is not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e, e);
        }
    }

    /** Applies files one after the other; the only mutable part, confined to one load. */
    private static final class Merger {
        private final Map<String, SectionState> sections = new LinkedHashMap<>();
        private final List<Path> files = new ArrayList<>();

        void add(Path file, String text) {
            files.add(file);
            Map<String, ConfigLocation> headersInFile = new HashMap<>();
            Map<String, Map<String, ConfigLocation>> keysInFile = new HashMap<>();
            SectionState current = null;
            for (IniParser.Line line : IniParser.parse(file, text)) {
                switch (line) {
                    case IniParser.Header header -> {
                        ConfigLocation earlier = headersInFile.putIfAbsent(header.name(), header.location());
                        if (earlier != null) {
                            throw ConfigException.at(header.location(), "section [" + header.name()
                                    + "] appears twice in this file (first at line " + earlier.line() + ")");
                        }
                        current = sections.computeIfAbsent(header.name(),
                                name -> new SectionState(name, header.location()));
                    }
                    case IniParser.Option option -> {
                        ConfigLocation earlier = keysInFile
                                .computeIfAbsent(current.name, name -> new HashMap<>())
                                .putIfAbsent(option.key(), option.location());
                        if (earlier != null) {
                            throw new ConfigException(option.location(), current.name, option.key(),
                                    "given twice in this file (first at line " + earlier.line() + ")");
                        }
                        current.apply(option);
                    }
                }
            }
        }

        IniDocument document() {
            List<IniSection> result = new ArrayList<>();
            for (SectionState state : sections.values()) {
                result.add(state.freeze());
            }
            return new IniDocument(result, files);
        }
    }

    private static final class SectionState {
        private final String name;
        private final ConfigLocation location;
        private final Map<String, IniValue> singles = new HashMap<>();
        private final Map<String, List<IniValue>> lists = new HashMap<>();
        private final Map<String, ConfigLocation> firstMention = new LinkedHashMap<>();

        SectionState(String name, ConfigLocation location) {
            this.name = name;
            this.location = location;
        }

        void apply(IniParser.Option option) {
            String key = option.key();
            int dot = key.indexOf('.');
            if (dot < 0) {
                applySingle(option);
                return;
            }
            String listName = key.substring(0, dot).strip();
            String distinguisher = key.substring(dot + 1).strip();
            if (listName.isEmpty()) {
                throw new ConfigException(option.location(), name, key, "list item without a list name before the dot");
            }
            if (distinguisher.isEmpty()) {
                throw new ConfigException(option.location(), name, key,
                        "list item needs a distinguisher after the dot, e.g. " + listName + ".1");
            }
            IniValue single = singles.get(listName);
            if (single != null) {
                throw new ConfigException(option.location(), name, key, listName
                        + " is supposed to be an individual setting (" + single.location()
                        + ") but given as a list");
            }
            firstMention.putIfAbsent(listName, option.location());
            List<IniValue> items = lists.computeIfAbsent(listName, ignored -> new ArrayList<>());
            if (distinguisher.equals(LIST_RESET)) {
                if (!option.value().equals(LIST_RESET)) {
                    throw new ConfigException(option.location(), name, key,
                            "a list reset is written " + listName + ".-: - (got value \"" + option.value() + "\")");
                }
                items.clear();
            } else {
                items.add(new IniValue(key, option.value(), option.location()));
            }
        }

        private void applySingle(IniParser.Option option) {
            String key = option.key();
            if (lists.containsKey(key)) {
                throw new ConfigException(option.location(), name, key, "is supposed to be a list ("
                        + firstMention.get(key) + ") but given as individual setting");
            }
            firstMention.putIfAbsent(key, option.location());
            singles.put(key, new IniValue(key, option.value(), option.location()));
        }

        IniSection freeze() {
            Map<String, IniSection.Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigLocation> mention : firstMention.entrySet()) {
                String key = mention.getKey();
                IniValue single = singles.get(key);
                entries.put(key, single != null
                        ? new IniSection.Single(single)
                        : new IniSection.ListEntry(lists.get(key), mention.getValue()));
            }
            return new IniSection(name, location, entries);
        }
    }
}
