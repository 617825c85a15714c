package org.peekaboo.ruleset;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripts of an XFA form (the XML of a PDF's {@code /AcroForm /XFA}): the text of every
 * {@code <script>} element, whatever its namespace prefix, with the {@code activity} of the
 * {@code <event>} around it. A scan of the tags rather than an XML parser: the packets of an XFA
 * array are fragments of one document, droppers break their XML where Adobe Reader does not care,
 * and a scan cannot be made to expand entities or fetch a DTD. Commented-out scripts are found too;
 * a false alarm there is the safer mistake.
 */
final class XfaScripts {
    /**
     * The activities of XFA 3.3 that run without the reader doing anything: when an object is
     * created ({@code initialize}), when the form or its layout is ready ({@code ready}), when the
     * document is loaded ({@code docReady}) and closed ({@code docClose}). {@code preOpen} and
     * {@code postOpen} belong to drop-down lists, which the reader opens.
     */
    static final Set<String> ON_OPEN = Set.of("initialize", "ready", "docready", "docclose");
    static final int MAX_SCRIPTS = 1000;
    private static final int MAX_NESTING = 256;
    private static final Pattern TAG = Pattern.compile(
            "<(/?)(?:[A-Za-z_][\\w.-]{0,64}:)?(event|script)(?=[\\s/>])([^<>]{0,4096}?)(/?)>");
    private static final Pattern ACTIVITY = Pattern.compile("\\bactivity\\s*=\\s*[\"']([^\"']{0,64})[\"']");
    private static final Pattern END_SCRIPT = Pattern.compile("</(?:[A-Za-z_][\\w.-]{0,64}:)?script\\s*>");
    private static final Pattern CHARACTER_REFERENCE = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

    /** One script: the activity of its event, lower case, or null outside an event; its text. */
    record Script(String activity, String text) {
        boolean runsOnOpen() {
            return activity != null && ON_OPEN.contains(activity);
        }
    }

    private XfaScripts() {
    }

    /** The scripts of {@code xml}, at most {@value #MAX_SCRIPTS}. */
    static List<Script> of(String xml) {
        List<Script> scripts = new ArrayList<>();
        Deque<String> events = new ArrayDeque<>();
        Matcher tag = TAG.matcher(xml);
        int from = 0;
        while (scripts.size() < MAX_SCRIPTS && tag.find(from)) {
            from = tag.end();
            boolean closing = !tag.group(1).isEmpty();
            boolean empty = !tag.group(4).isEmpty();
            if (tag.group(2).equals("event")) {
                if (closing) {
                    events.pollFirst();
                } else if (!empty && events.size() < MAX_NESTING) {
                    Matcher activity = ACTIVITY.matcher(tag.group(3));
                    events.push(activity.find() ? activity.group(1).strip().toLowerCase(Locale.ROOT) : "");
                }
            } else if (!closing && !empty) {
                Matcher end = END_SCRIPT.matcher(xml);
                boolean ended = end.find(from);
                String activity = events.peekFirst();
                scripts.add(new Script(activity == null || activity.isEmpty() ? null : activity,
                        text(xml.substring(from, ended ? end.start() : xml.length()))));
                from = ended ? end.end() : xml.length();
            }
        }
        return scripts;
    }

    /** The script as the viewer runs it: without CDATA markers, with the XML escapes resolved. */
    private static String text(String raw) {
        String text = raw.replace("<![CDATA[", "").replace("]]>", "");
        Matcher reference = CHARACTER_REFERENCE.matcher(text);
        StringBuilder resolved = new StringBuilder(text.length());
        while (reference.find()) {
            String number = reference.group(1);
            int code = number.startsWith("x") ? Integer.parseInt(number.substring(1), 16) : Integer.parseInt(number);
            reference.appendReplacement(resolved, Matcher.quoteReplacement(
                    Character.isValidCodePoint(code) ? Character.toString(code) : "?"));
        }
        reference.appendTail(resolved);
        return resolved.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&amp;", "&");
    }
}
