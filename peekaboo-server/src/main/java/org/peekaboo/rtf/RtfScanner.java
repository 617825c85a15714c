package org.peekaboo.rtf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the OLE objects of an RTF document: every {@code \object} group with its
 * {@code \objclass}, its kind and update words ({@code \objemb}, {@code \objautlink},
 * {@code \objupdate}, …) and its {@code \objdata}, decoded the lenient way Word decodes it, so
 * that the tricks droppers use to hide an object from scanners do not hide it from this one:
 * whitespace and line breaks anywhere in the hex, control words inserted into it (skipped with
 * their parameter), groups inserted into it that start with {@code \*} or a destination word
 * (skipped whole), {@code \'hh} (skipped), {@code \bin N} (N raw bytes taken as they are), and
 * an odd number of hex digits (the last one dropped).
 *
 * <p>Own code rather than a library: no maintained Java RTF parser reads {@code \objdata}
 * (javax.swing's RTFEditorKit drops objects, Tika's RTF parser extracts embedded files but
 * decodes hex strictly and reports nothing of links or class names). The document is read
 * once as a stream, with no recursion; the {@link RtfLimits} bound what is read and kept.
 * Corrupt input never throws: what cannot be read becomes an object's {@link RtfObject#problem()}.
 */
public final class RtfScanner {
    private static final byte[] MAGIC = {'{', '\\', 'r', 't'};
    private static final int MAX_WORD = 32;
    private static final int MAX_CLASS = 256;
    /** Destinations Word does not read as object data when a group inside {@code \objdata} starts with them. */
    private static final Set<String> DESTINATIONS = Set.of("objclass", "objname", "objtime", "objalias", "objsect",
            "objdata", "result", "pict", "nonshppict", "fonttbl", "colortbl", "stylesheet", "info", "field", "fldinst",
            "fldrslt", "shp", "shpinst", "shprslt", "sp", "sn", "sv", "datastore", "themedata", "colorschememapping",
            "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "bkmkstart",
            "bkmkend", "footnote", "header", "footer", "txe", "blipuid", "rtf");
    private static final Set<String> OBJECT_WORDS = Set.of("objemb", "objlink", "objautlink", "objupdate", "objsub",
            "objpub", "objicemb", "objhtml", "objocx");

    private final RtfLimits limits;

    public RtfScanner(RtfLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Whether a file starting with {@code head} is RTF to Word: it opens anything starting with {@code {\rt}. */
    public static boolean isRtf(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    public RtfScan scan(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return scan(in);
        }
    }

    public RtfScan scan(InputStream in) throws IOException {
        return new Pass(in).run();
    }

    private enum Mode { TEXT, OBJCLASS, OBJDATA, SKIP }

    private static final class Group {
        Mode mode;
        Builder object;
        boolean owner;
        boolean fresh = true;
        boolean ignorable;

        Group(Mode mode, Builder object) {
            this.mode = mode;
            this.object = object;
        }
    }

    /** One object while its group is read. */
    private final class Builder {
        final StringBuilder rtfClass = new StringBuilder();
        final Set<String> words = new LinkedHashSet<>();
        byte[] data = new byte[256];
        int size;
        long decoded;
        int nibble = -1;
        final int cap;

        Builder(int cap) {
            this.cap = cap;
        }

        void hex(int value) {
            if (nibble < 0) {
                nibble = value;
            } else {
                add(nibble << 4 | value);
                nibble = -1;
            }
        }

        void add(int b) {
            decoded++;
            if (size < cap) {
                if (size == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(cap, (long) data.length * 2));
                }
                data[size++] = (byte) b;
            }
        }

        RtfObject build() {
            String problem = "";
            Optional<Ole1Object> ole1 = Optional.empty();
            List<String> links = List.of();
            if (size > 0) {
                try {
                    ole1 = Ole1Reader.read(data, size).map(this::withCompound);
                    links = Links.find(data, size);
                    if (ole1.isEmpty()) {
                        problem = "its data is no OLE1 object";
                    } else if (!ole1.get().problem().isEmpty()) {
                        problem = ole1.get().problem();
                    }
                } catch (RuntimeException e) {
                    problem = "its data cannot be read (" + e + ")";
                }
            }
            if (decoded > size) {
                problem = (problem.isEmpty() ? "" : problem + "; ") + "only " + size + " of its " + decoded
                        + " bytes were read";
            }
            return new RtfObject(rtfClass.toString(), words, decoded, ole1, links, problem);
        }

        private Ole1Object withCompound(Ole1Object ole) {
            if (!ole.isOle2()) {
                return ole;
            }
            try {
                CompoundObject compound = CompoundReader.read(ole.nativeData());
                return new Ole1Object(ole.formatId(), ole.className(), ole.classNameLength(), ole.topic(), ole.item(),
                        ole.nativeSize(), ole.nativeData(), ole.packaged(), Optional.of(compound), ole.problem());
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // POI throws runtime exceptions of many kinds for corrupt files (and recurses through
                // their directory tree); all mean the same here.
                String problem = "its OLE2 compound file cannot be read (" + e.getClass().getSimpleName() + ")";
                return new Ole1Object(ole.formatId(), ole.className(), ole.classNameLength(), ole.topic(), ole.item(),
                        ole.nativeSize(), ole.nativeData(), ole.packaged(), Optional.empty(),
                        ole.problem().isEmpty() ? problem : ole.problem() + "; " + problem);
            }
        }
    }

    /** One reading of one document; confined to the calling thread. */
    private final class Pass {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int end;
        private long read;
        private boolean truncated;
        private boolean ended;
        private final Deque<Group> groups = new ArrayDeque<>();
        private int overflow;
        private int started;
        private long kept;
        private final List<RtfObject> objects = new ArrayList<>();
        private final Set<String> problems = new LinkedHashSet<>();

        Pass(InputStream in) {
            this.in = in;
        }

        RtfScan run() throws IOException {
            groups.push(new Group(Mode.TEXT, null));
            for (int c = next(); c >= 0; c = next()) {
                switch (c) {
                    case '{' -> open();
                    case '}' -> close();
                    case '\\' -> control();
                    case '\r', '\n' -> { }
                    default -> text(c);
                }
            }
            // Unterminated groups: Word shows what it read, objects included.
            while (!groups.isEmpty()) {
                finish(groups.pop());
            }
            if (truncated) {
                problems.add("only the first " + limits.maxBytes() + " bytes were read");
            }
            return new RtfScan(objects, List.copyOf(problems));
        }

        private void open() {
            Group parent = groups.peek();
            if (groups.size() > limits.maxDepth()) {
                overflow++;
                problems.add("groups are nested deeper than " + limits.maxDepth());
                return;
            }
            groups.push(new Group(parent.mode, parent.object));
        }

        private void close() {
            if (overflow > 0) {
                overflow--;
            } else if (groups.size() > 1) {
                finish(groups.pop());
            }
        }

        private void finish(Group group) {
            if (group.owner) {
                Builder builder = group.object;
                kept += builder.size;
                objects.add(builder.build());
            }
        }

        private void control() throws IOException {
            int c = next();
            if (c < 0) {
                return;
            }
            Group group = groups.peek();
            if (isLetter(c)) {
                word(group, c);
            } else if (c == '*') {
                group.ignorable = true;
            } else if (c == '\'') {
                // Two hex digits follow; in object data Word takes neither as data.
                int high = hexDigit();
                int low = high < 0 ? -1 : hexDigit();
                if (group.mode == Mode.OBJCLASS && low >= 0) {
                    appendClass(group, high << 4 | low);
                }
                group.fresh = false;
            } else {
                if (group.mode == Mode.OBJCLASS && (c == '{' || c == '}' || c == '\\')) {
                    appendClass(group, c);
                }
                group.fresh = false;
            }
        }

        private void word(Group group, int first) throws IOException {
            StringBuilder word = new StringBuilder().append((char) first);
            int c = next();
            while (c >= 0 && isLetter(c)) {
                if (word.length() < MAX_WORD) {
                    word.append((char) c);
                }
                c = next();
            }
            boolean negative = c == '-';
            if (negative) {
                c = next();
            }
            long parameter = 0;
            boolean hasParameter = false;
            while (c >= '0' && c <= '9') {
                hasParameter = true;
                parameter = Math.min(parameter * 10 + (c - '0'), Integer.MAX_VALUE);
                c = next();
            }
            if (c >= 0 && c != ' ') {
                back();
            }
            handle(group, word.toString(), negative ? -parameter : parameter, hasParameter);
        }

        private void handle(Group group, String word, long parameter, boolean hasParameter) throws IOException {
            boolean fresh = group.fresh;
            group.fresh = false;
            if (word.equals("bin")) {
                binary(group, hasParameter ? parameter : 0);
                return;
            }
            if (group.mode == Mode.SKIP) {
                return;
            }
            if (group.mode == Mode.OBJDATA) {
                // Inside the hex a group of its own that starts as a destination is no data; any
                // other control word is skipped, which is how droppers break up the hex.
                if (fresh && (group.ignorable || DESTINATIONS.contains(word))) {
                    group.mode = Mode.SKIP;
                }
                return;
            }
            switch (word) {
                case "object" -> startObject(group);
                case "objclass" -> {
                    if (group.object != null) {
                        group.mode = Mode.OBJCLASS;
                    }
                }
                case "objdata" -> {
                    if (group.object == null) {
                        startObject(group);
                    }
                    if (group.object != null) {
                        group.mode = Mode.OBJDATA;
                    }
                }
                default -> {
                    if (group.object != null && OBJECT_WORDS.contains(word) && group.mode == Mode.TEXT) {
                        group.object.words.add(word);
                    }
                }
            }
        }

        private void startObject(Group group) {
            if (started >= limits.maxObjects()) {
                problems.add("only the first " + limits.maxObjects() + " objects were read");
                group.object = null;
                return;
            }
            started++;
            finish(group);
            long room = Math.max(0, 2L * limits.maxObjectBytes() - kept);
            group.object = new Builder((int) Math.min(limits.maxObjectBytes(), room));
            group.owner = true;
        }

        /** {@code \bin N}: N bytes that are data as they are, whatever they contain. */
        private void binary(Group group, long count) throws IOException {
            boolean data = group.mode == Mode.OBJDATA && group.object != null;
            if (data) {
                group.object.nibble = -1;
            }
            for (long i = 0; i < count; i++) {
                int c = next();
                if (c < 0) {
                    return;
                }
                if (data) {
                    group.object.add(c);
                }
            }
        }

        private void text(int c) {
            Group group = groups.peek();
            group.fresh = false;
            if (group.mode == Mode.OBJDATA && group.object != null) {
                int value = hexValue(c);
                if (value >= 0) {
                    group.object.hex(value);
                }
            } else if (group.mode == Mode.OBJCLASS) {
                appendClass(group, c);
            }
        }

        private void appendClass(Group group, int c) {
            if (group.object != null && group.object.rtfClass.length() < MAX_CLASS && c != ';') {
                group.object.rtfClass.append((char) c);
            }
        }

        private int hexDigit() throws IOException {
            int c = next();
            if (c >= 0 && hexValue(c) < 0) {
                back();
                return -1;
            }
            return hexValue(c);
        }

        private int next() throws IOException {
            if (pos == end) {
                if (ended) {
                    return -1;
                }
                if (read >= limits.maxBytes()) {
                    ended = true;
                    truncated = in.read() >= 0;
                    return -1;
                }
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limits.maxBytes() - read));
                if (n <= 0) {
                    ended = true;
                    return -1;
                }
                read += n;
                pos = 0;
                end = n;
            }
            return buffer[pos++] & 0xFF;
        }

        /** Takes back the byte just read; it is still in the buffer. */
        private void back() {
            pos--;
        }
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
