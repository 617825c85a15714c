package org.peekaboo.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the text of one file into headers and options, following Python's configparser as
 * PeekabooAV used it, so existing PeekabooAV files keep their meaning. Merging of several
 * files and list assembly happen in {@link IniDocument}.
 */
final class IniParser {

    sealed interface Line {
        ConfigLocation location();
    }

    record Header(String name, ConfigLocation location) implements Line {
    }

    /** An option with its value complete (continuation lines joined) and its key lower-cased. */
    record Option(String key, String value, ConfigLocation location) implements Line {
    }

    private IniParser() {
    }

    static List<Line> parse(Path file, String text) {
        List<Line> result = new ArrayList<>();
        PendingOption pending = null;
        boolean inSection = false;
        String[] lines = stripByteOrderMark(text).split("\\R", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index];
            ConfigLocation location = new ConfigLocation(file, index + 1);
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                if (pending != null) {
                    pending.blankLines++;
                }
                continue;
            }
            // Comments are skipped without ending a value, as in configparser.
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            int indent = indentation(line);
            if (pending != null && indent > pending.indent) {
                pending.addContinuation(stripped);
                continue;
            }
            if (pending != null) {
                result.add(pending.finish());
                pending = null;
            }
            if (stripped.startsWith("[")) {
                result.add(header(stripped, location));
                inSection = true;
                continue;
            }
            int delimiter = firstDelimiter(stripped);
            if (delimiter < 0) {
                throw ConfigException.at(location, "\"" + stripped + "\" is neither a [section] header,"
                        + " an option (key: value or key = value) nor a comment (# or ;)");
            }
            String key = IniSection.normalize(stripped.substring(0, delimiter));
            if (key.isEmpty()) {
                throw ConfigException.at(location, "option without a name: \"" + stripped + "\"");
            }
            if (!inSection) {
                throw ConfigException.at(location, "option \"" + key + "\" appears before any [section] header");
            }
            pending = new PendingOption(key, stripped.substring(delimiter + 1).strip(), indent, location);
        }
        if (pending != null) {
            result.add(pending.finish());
        }
        return result;
    }

    private static Header header(String stripped, ConfigLocation location) {
        if (!stripped.endsWith("]")) {
            throw ConfigException.at(location, "section header \"" + stripped + "\" must be written [name]");
        }
        String name = stripped.substring(1, stripped.length() - 1).strip();
        if (name.isEmpty() || name.contains("[") || name.contains("]")) {
            throw ConfigException.at(location, "\"" + stripped + "\" is not a valid section header; write [name]");
        }
        return new Header(name, location);
    }

    private static int firstDelimiter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':' || c == '=') {
                return i;
            }
        }
        return -1;
    }

    private static int indentation(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String stripByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * PeekabooAV's files were read with interpolation, so a percent sign had to be written
     * {@code %%}. We do not interpolate: {@code %%} still means {@code %} so those files keep
     * their meaning, and a lone {@code %} is taken literally.
     */
    static String unescapePercent(String value) {
        return value.replace("%%", "%");
    }

    private static final class PendingOption {
        private final String key;
        private final StringBuilder value;
        private final int indent;
        private final ConfigLocation location;
        private int blankLines;

        PendingOption(String key, String firstLine, int indent, ConfigLocation location) {
            this.key = key;
            this.value = new StringBuilder(firstLine);
            this.indent = indent;
            this.location = location;
        }

        void addContinuation(String stripped) {
            // Blank lines inside a value are kept when more of the value follows them.
            value.append("\n".repeat(blankLines)).append('\n').append(stripped);
            blankLines = 0;
        }

        Option finish() {
            return new Option(key, unescapePercent(value.toString().strip()), location);
        }
    }
}
