package org.peekaboo.rtf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds what an OLE link or moniker points at in binary data, as ANSI or UTF-16LE text. */
final class Links {
    static final int MAX_LINKS = 5;
    private static final Pattern LINK = Pattern.compile("(?i)(?:https?://|file:/{1,3}|\\\\\\\\)[\\x21-\\x7e]{3,300}");

    private Links() {
    }

    static List<String> find(byte[] data, int length) {
        List<String> links = new ArrayList<>();
        collect(new String(data, 0, length, StandardCharsets.ISO_8859_1), links);
        for (int start = 0; start < 2 && links.size() < MAX_LINKS; start++) {
            int even = (length - start) & ~1;
            if (even > 0) {
                collect(new String(data, start, even, StandardCharsets.UTF_16LE), links);
            }
        }
        return links;
    }

    private static void collect(String text, List<String> links) {
        Matcher matcher = LINK.matcher(text);
        while (links.size() < MAX_LINKS && matcher.find()) {
            String link = matcher.group();
            if (!links.contains(link)) {
                links.add(link);
            }
        }
    }
}
