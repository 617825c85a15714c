package org.peekaboo.lineprotocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Verdict;

/**
 * Every line format of the line protocol, for both directions: the server formats with it
 * and {@link LineProtocolClient} parses with it, so the two cannot drift apart.
 *
 * <p>Values that come from outside (paths, declared names, rule names) are written as JSON
 * strings so quotes and line breaks in them stay escaped; free text (reasons, error
 * messages) is flattened onto one line. The phrase {@code has been categorized}, which mail
 * filters match on, can only ever appear in the final line.
 */
final class ProtocolLines {
    static final String GREETING = "Hello, this is Peekaboo.";
    static final String KEEP_ALIVE = "Files are being analyzed...";
    static final String PONG = "{\"request\": \"ping\", \"response\": \"pong\"}";
    static final String PING_REQUEST = "[{\"request\": \"ping\"}]";
    static final String STATUS_REQUEST = "[{\"request\": \"status\"}]";
    static final String ERROR_PREFIX = "ERROR: ";

    static final String FULL_NAME = "full_name";
    static final String NAME_DECLARED = "name_declared";
    static final String TYPE_DECLARED = "type_declared";
    static final String CONTENT_DISPOSITION = "content_disposition";
    static final String REQUEST = "request";

    private static final String CATEGORIZED_PREFIX = "The file collection has been categorized ";
    private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final Pattern VERDICT_LINE = Pattern.compile(
            "^File " + QUOTED + " verdict \"([a-z]+)\" \\(result \"([a-z]+)\" by rule " + QUOTED + "\\): (.*)$");
    private static final Pattern MEMBER_VERDICT_LINE = Pattern.compile("^File " + QUOTED + " member " + QUOTED
            + " verdict \"([a-z]+)\" \\(result \"([a-z]+)\" by rule " + QUOTED + "\\): (.*)$");
    private static final Pattern MEMBER_ANALYZING_LINE = Pattern.compile("^File " + QUOTED + " member " + QUOTED
            + "( sha256 [0-9a-f]+)? is being analyzed$");
    private static final Pattern CATEGORIZED_LINE = Pattern.compile(
            "^" + Pattern.quote(CATEGORIZED_PREFIX) + "\"([a-z]+)\"$");
    private static final Pattern CATEGORIZED_PHRASE = Pattern.compile(
            "(has\\s+been\\s+categori)([zZ])(ed)", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ProtocolLines() {
    }

    static ResponseLine greeting() {
        return new ResponseLine(GREETING);
    }

    static ResponseLine keepAlive() {
        return new ResponseLine(KEEP_ALIVE);
    }

    static ResponseLine pong() {
        return new ResponseLine(PONG);
    }

    /** The answer to a status request: the daemon's state as one JSON object. */
    static ResponseLine status(String statusJson) {
        return new ResponseLine("{\"request\": \"status\", \"response\": " + statusJson + "}");
    }

    static ResponseLine error(String message) {
        return new ResponseLine(ERROR_PREFIX + oneLine(message));
    }

    /** The final line; the only one allowed to carry the phrase mail filters match on. */
    static ResponseLine categorized(Verdict verdict) {
        return new ResponseLine(CATEGORIZED_PREFIX + "\"" + verdict.label() + "\"");
    }

    /**
     * All lines about one file: what it is, each rule's result, then its verdict. A container (a whole
     * message, an archive) has the lines of each of its members between its own rule lines and its
     * verdict, depth first, each naming the file and the member's chain of declared names:
     * {@code File "p002" member "invoice.zip/docs/invoice.docm" verdict "bad" (...)}. Those lines never
     * match what mail filters look for in a file's verdict line; the file's own verdict line is the
     * worst of the container's and its members', with the member named in the reason.
     *
     * @param fullName     the path the client sent; only its base name is shown
     * @param sha256       the content hash, or null when the content was never read
     * @param nameDeclared the declared name, or null
     * @param verdict      the file's verdict (for a container, the worst of its own and its members')
     * @param members      the judged members of a container, empty for anything else
     */
    static FileReport fileReport(String fullName, String sha256, String nameDeclared, SampleVerdict verdict,
                                 List<JudgedSample> members) {
        String file = "File " + quote(baseName(fullName));
        List<ResponseLine> rules = new ArrayList<>(verdict.report().size());
        addRuleLines(rules, file, verdict);
        for (JudgedSample member : members) {
            addMemberLines(rules, file, member);
        }
        return new FileReport(Verdict.of(verdict.result()), analyzing(file, sha256, nameDeclared), rules,
                verdictLine(file, verdict));
    }

    /** The lines about a file that is no container. */
    static FileReport fileReport(String fullName, String sha256, String nameDeclared, SampleVerdict verdict) {
        return fileReport(fullName, sha256, nameDeclared, verdict, List.of());
    }

    private static void addMemberLines(List<ResponseLine> lines, String file, JudgedSample member) {
        String name = file + " member " + quote(member.sample().declaredPath());
        lines.add(analyzing(name, member.sample().sha256(), null));
        addRuleLines(lines, name, member.verdict());
        for (JudgedSample inner : member.members()) {
            addMemberLines(lines, file, inner);
        }
        lines.add(verdictLine(name, member.verdict()));
    }

    private static ResponseLine analyzing(String name, String sha256, String nameDeclared) {
        StringBuilder analyzing = new StringBuilder(name);
        if (sha256 != null) {
            analyzing.append(" sha256 ").append(oneLine(sha256));
        }
        if (nameDeclared != null) {
            analyzing.append(" declared ").append(quote(nameDeclared));
        }
        return new ResponseLine(analyzing.append(" is being analyzed").toString());
    }

    private static void addRuleLines(List<ResponseLine> lines, String name, SampleVerdict verdict) {
        for (RuleResult ruleResult : verdict.report()) {
            lines.add(new ResponseLine(name + ": rule " + quote(ruleResult.rule())
                    + " result \"" + ruleResult.result().label() + "\""
                    + (ruleResult.furtherAnalysis() ? " (continue): " : " (stop): ")
                    + oneLine(ruleResult.reason())));
        }
    }

    private static ResponseLine verdictLine(String name, SampleVerdict verdict) {
        return new ResponseLine(name + " verdict \"" + Verdict.of(verdict.result()).label()
                + "\" (result \"" + verdict.result().label() + "\" by rule " + quote(verdict.rule()) + "): "
                + oneLine(verdict.reason()));
    }

    /**
     * Stands in for the rule lines a shortened report leaves out.
     *
     * @param files         how many files' rule lines are left out
     * @param judged        which files, e.g. {@code good}
     * @param maxReplyBytes the budget the answer had to fit in
     */
    static ResponseLine rulesLeftOut(int files, String judged, int maxReplyBytes) {
        return new ResponseLine("Rule lines of " + files(files) + " judged " + judged
                + " are left out" + underBudget(maxReplyBytes));
    }

    /**
     * Stands in for every line about some files, which a shortened report leaves out.
     *
     * @param files         how many files are left out
     * @param judged        which files, e.g. {@code good}
     * @param maxReplyBytes the budget the answer had to fit in
     */
    static ResponseLine filesLeftOut(int files, String judged, int maxReplyBytes) {
        return new ResponseLine(files(files) + " judged " + judged + "; " + (files == 1 ? "its" : "their")
                + " details are left out" + underBudget(maxReplyBytes));
    }

    private static String files(int count) {
        return count + (count == 1 ? " file" : " files");
    }

    private static String underBudget(int maxReplyBytes) {
        return " to keep the answer under " + maxReplyBytes + " bytes";
    }

    /** The last segment of the client's path, e.g. {@code p001} for an amavis part. */
    static String baseName(String fullName) {
        try {
            Path fileName = Path.of(fullName).getFileName();
            return fileName == null ? fullName : fileName.toString();
        } catch (RuntimeException invalidPath) {
            return fullName;
        }
    }

    /**
     * {@code value} as a JSON string literal. Inside it the categorisation phrase gets one
     * letter as a JSON unicode escape: a JSON reader recovers the original text, a filter's
     * regex no longer sees the phrase.
     */
    static String quote(String value) {
        String quoted = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
        if (!mentionsCategori(quoted)) {
            return quoted;
        }
        return CATEGORIZED_PHRASE.matcher(quoted).replaceAll(match -> Matcher.quoteReplacement(
                match.group(1) + String.format("\\u%04x", (int) match.group(2).charAt(0)) + match.group(3)));
    }

    /**
     * Free text flattened onto one line: control characters and Unicode line separators
     * become spaces, and the categorisation phrase is spelt the British way.
     */
    static String oneLine(String text) {
        if (!breaksAnyLine(text) && !mentionsCategori(text)) {
            return text;
        }
        StringBuilder flat = new StringBuilder(text.length());
        text.codePoints().forEach(c -> flat.appendCodePoint(breaksLine(c) ? ' ' : c));
        return CATEGORIZED_PHRASE.matcher(flat).replaceAll(match -> Matcher.quoteReplacement(
                match.group(1) + (match.group(2).equals("z") ? "s" : "S") + match.group(3)));
    }

    private static boolean breaksAnyLine(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (breaksLine(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean breaksLine(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    /** Whether the phrase could be in {@code text}: most reasons and names never come near it. */
    private static boolean mentionsCategori(String text) {
        String word = "categori";
        for (int i = 0, end = text.length() - word.length(); i <= end; i++) {
            char c = text.charAt(i);
            if ((c == 'c' || c == 'C') && text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** A duration the way people write it: {@code 60 s}, {@code 1.5 s}, {@code 250 ms}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }

    /** The request line a client sends to have {@code files} judged (without the newline). */
    static String scanRequest(List<SampleDeclaration> files) {
        ArrayNode request = JSON.createArrayNode();
        for (SampleDeclaration file : files) {
            ObjectNode part = request.addObject().put(FULL_NAME, file.fullName());
            putIfPresent(part, NAME_DECLARED, file.nameDeclared());
            putIfPresent(part, TYPE_DECLARED, file.typeDeclared());
            putIfPresent(part, CONTENT_DISPOSITION, file.contentDisposition());
        }
        try {
            return JSON.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    private static void putIfPresent(ObjectNode part, String key, String value) {
        if (value != null) {
            part.put(key, value);
        }
    }

    /** The verdict line of one file, if {@code line} is one. */
    static Optional<ScanReply.FileVerdict> parseVerdict(String line) {
        Matcher matcher = VERDICT_LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Optional<Verdict> verdict = Verdict.parse(matcher.group(2));
        Optional<Result> result = Result.parse(matcher.group(3));
        Optional<String> name = unquote(matcher.group(1));
        Optional<String> rule = unquote(matcher.group(4));
        if (verdict.isEmpty() || result.isEmpty() || name.isEmpty() || rule.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ScanReply.FileVerdict(name.get(), verdict.get(), result.get(), rule.get(),
                matcher.group(5)));
    }

    /** The verdict line of a member of a file, if {@code line} is one. */
    static Optional<ScanReply.MemberVerdict> parseMemberVerdict(String line) {
        Matcher matcher = MEMBER_VERDICT_LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Optional<String> file = unquote(matcher.group(1));
        Optional<String> member = unquote(matcher.group(2));
        Optional<Verdict> verdict = Verdict.parse(matcher.group(3));
        Optional<Result> result = Result.parse(matcher.group(4));
        Optional<String> rule = unquote(matcher.group(5));
        if (file.isEmpty() || member.isEmpty() || verdict.isEmpty() || result.isEmpty() || rule.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ScanReply.MemberVerdict(file.get(), member.get(), verdict.get(), result.get(),
                rule.get(), matcher.group(6)));
    }

    /** {@code <file>/<chain>} of a member's naming line, if {@code line} is one. */
    static Optional<String> parseMemberAnalyzing(String line) {
        Matcher matcher = MEMBER_ANALYZING_LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Optional<String> file = unquote(matcher.group(1));
        Optional<String> member = unquote(matcher.group(2));
        return file.isPresent() && member.isPresent() ? Optional.of(file.get() + "/" + member.get()) : Optional.empty();
    }

    /** The collection verdict, if {@code line} is the final line. */
    static Optional<Verdict> parseCategorized(String line) {
        Matcher matcher = CATEGORIZED_LINE.matcher(line);
        return matcher.matches() ? Verdict.parse(matcher.group(1)) : Optional.empty();
    }

    /** The message of an error line, if {@code line} is one. */
    static Optional<String> parseError(String line) {
        return line.startsWith(ERROR_PREFIX) ? Optional.of(line.substring(ERROR_PREFIX.length())) : Optional.empty();
    }

    private static Optional<String> unquote(String escaped) {
        try {
            return Optional.of(JSON.readValue("\"" + escaped + "\"", String.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
