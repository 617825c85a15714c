package org.peekaboo.expansion;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the name a MIME part declares, in every style mail clients write: RFC 2231 (charset,
 * language, continuations), RFC 2047 encoded words (also where the RFC forbids them, in quoted or
 * unquoted parameters, as Outlook and webmailers write them), raw 8-bit bytes (UTF-8 when they are
 * valid UTF-8, else windows-1252). What cannot be decoded stays as written: a raw name still shows
 * its extension. Paths are kept as declared; only control characters are removed, since no file
 * name holds them and they would garble logs and the reports that quote the name.
 */
final class MimeNames {
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");
    private static final Pattern SECTION = Pattern.compile("\\*(\\d{1,4})(\\*?)");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private MimeNames() {
    }

    /** The part's name: the disposition's {@code filename}, else the type's {@code name}; null when none. */
    static String nameOf(MimeHeaderValue disposition, MimeHeaderValue contentType) {
        String name = disposition == null ? null : nameIn(disposition, "filename");
        if (name == null && contentType != null) {
            name = nameIn(contentType, "name");
        }
        return name;
    }

    /** The decoded value of parameter {@code name} (RFC 2231 forms first, as the RFC says), or null. */
    static String nameIn(MimeHeaderValue header, String name) {
        String extended = extended(header.parameters(), name);
        if (extended != null) {
            String cleaned = withoutControls(extended);
            if (!cleaned.isEmpty()) {
                return cleaned;
            }
        }
        String plain = header.parameter(name);
        if (plain == null) {
            return null;
        }
        String cleaned = withoutControls(decodeWords(eightBit(plain)));
        return cleaned.isEmpty() ? null : cleaned;
    }

    /** Decodes RFC 2047 encoded words in {@code text}; a word that cannot be decoded stays as written. */
    static String decodeWords(String text) {
        if (!text.contains("=?")) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        Matcher word = ENCODED_WORD.matcher(text);
        int at = 0;
        // Adjacent words of one charset are joined as bytes first: encoders split a character's bytes across words.
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Charset pendingCharset = null;
        while (word.find()) {
            String between = text.substring(at, word.start());
            boolean adjacent = pendingCharset != null && between.isBlank();
            Charset charset = charset(word.group(1));
            byte[] bytes = charset == null ? null : wordBytes(word.group(2), word.group(3));
            if (!adjacent || bytes == null || !charset.equals(pendingCharset)) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                if (!adjacent || bytes == null) {
                    out.append(between);
                }
            }
            if (bytes == null) {
                out.append(word.group());
            } else {
                pending.writeBytes(bytes);
                pendingCharset = charset;
            }
            at = word.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text, at, text.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (charset != null) {
            out.append(new String(pending.toByteArray(), charset));
        }
        pending.reset();
    }

    private static byte[] wordBytes(String encoding, String encoded) {
        if (encoding.equalsIgnoreCase("b")) {
            try {
                return Base64.getMimeDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return percentDecode(encoded.replace('_', ' '), '=');
    }

    /**
     * The RFC 2231 value of {@code name} ({@code name*}, or the sections {@code name*0}, {@code name*1*}, ...
     * up to the first missing one), or null when there is none. With an unknown charset it is the raw text.
     */
    private static String extended(Map<String, String> parameters, String name) {
        TreeMap<Integer, String> sections = new TreeMap<>();
        TreeMap<Integer, Boolean> encoded = new TreeMap<>();
        String single = parameters.get(name + "*");
        if (single != null) {
            sections.put(0, single);
            encoded.put(0, true);
        } else {
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                if (parameter.getKey().startsWith(name + "*")) {
                    Matcher section = SECTION.matcher(parameter.getKey().substring(name.length()));
                    if (section.matches()) {
                        int index = Integer.parseInt(section.group(1));
                        sections.putIfAbsent(index, parameter.getValue());
                        encoded.putIfAbsent(index, !section.group(2).isEmpty());
                    }
                }
            }
        }
        if (!sections.containsKey(0)) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int index = 0; sections.containsKey(index); index++) {
            values.add(sections.get(index));
        }
        String charsetName = null;
        if (encoded.get(0)) {
            String first = values.get(0);
            int quote = first.indexOf('\'');
            int second = quote < 0 ? -1 : first.indexOf('\'', quote + 1);
            if (second >= 0) {
                charsetName = first.substring(0, quote);
                values.set(0, first.substring(second + 1));
            }
        }
        Charset charset = charsetName == null || charsetName.isBlank() ? null : charset(charsetName);
        if (charsetName != null && !charsetName.isBlank() && charset == null) {
            return String.join("", values);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int index = 0; index < values.size(); index++) {
            String value = values.get(index);
            if (encoded.get(index)) {
                bytes.writeBytes(percentDecode(value, '%'));
            } else {
                bytes.writeBytes(value.getBytes(charset == null ? StandardCharsets.UTF_8 : charset));
            }
        }
        return charset == null ? utf8OrWindows1252(bytes.toByteArray()) : new String(bytes.toByteArray(), charset);
    }

    /** Bytes of {@code text} with {@code escape}XX decoded; a broken escape stays as written. */
    private static byte[] percentDecode(String text, char escape) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == escape && at + 2 < text.length() && isHex(text.charAt(at + 1)) && isHex(text.charAt(at + 2))) {
                out.write(HexFormat.fromHexDigits(text, at + 1, at + 3));
                at += 2;
            } else if (c < 0x100) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    /**
     * Text whose characters are bytes (Jakarta Mail reads header bytes that are not UTF-8 as
     * ISO-8859-1) as UTF-8 when the bytes are valid UTF-8, else as windows-1252, which is what clients
     * that write raw 8-bit names mostly use. Text already holding characters beyond a byte stays.
     */
    static String eightBit(String text) {
        boolean high = false;
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c > 0xFF) {
                return text;
            }
            high |= c >= 0x80;
        }
        return high ? utf8OrWindows1252(text.getBytes(StandardCharsets.ISO_8859_1)) : text;
    }

    private static String utf8OrWindows1252(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, WINDOWS_1252);
        }
    }

    /** The charset of a MIME charset name (RFC 2231 language suffix allowed), or null when Java has none. */
    static Charset charset(String mimeName) {
        String name = mimeName;
        int language = name.indexOf('*');
        if (language >= 0) {
            name = name.substring(0, language);
        }
        try {
            return Charset.forName(MimeUtility.javaCharset(name.trim().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String withoutControls(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().filter(c -> c >= 0x20 && c != 0x7F).forEach(out::appendCodePoint);
        return out.toString();
    }
}
