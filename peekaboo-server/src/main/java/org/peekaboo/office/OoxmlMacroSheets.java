package org.peekaboo.office;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Excel 4 macro sheet parts of an OOXML workbook and reads their formulas. Part names
 * are free in OPC, so a part counts as a macro sheet by its declared content type or by the
 * relationship that points to it, not only by the usual {@code xl/macrosheets/} folder.
 * Binary macro sheets of .xlsb workbooks (BIFF12) are found the same way; {@link XlsbParts}
 * reads their formulas.
 */
final class OoxmlMacroSheets {
    private static final Pattern ELEMENT = Pattern.compile("<(?:\\w+:)?(?:Override|Relationship)\\b[^>]*>");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\b(\\w+)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");
    private static final Pattern FORMULA = Pattern.compile("<(?:\\w+:)?f\\b[^>/]*>([^<]*)</(?:\\w+:)?f\\s*>");
    private static final Pattern ENTITY = Pattern.compile("&(?:#(\\d{1,7})|#x([0-9A-Fa-f]{1,6})|(amp|lt|gt|quot|apos));");

    private OoxmlMacroSheets() {
    }

    /** The part names (without a leading slash) that [Content_Types].xml declares macro sheets. */
    static List<String> declaredInContentTypes(String contentTypes) {
        List<String> parts = new ArrayList<>();
        Matcher element = ELEMENT.matcher(contentTypes);
        while (element.find()) {
            String type = attribute(element.group(), "ContentType");
            String part = attribute(element.group(), "PartName");
            if (type != null && part != null && type.toLowerCase(Locale.ROOT).contains("macrosheet")) {
                parts.add(part.startsWith("/") ? part.substring(1) : part);
            }
        }
        return parts;
    }

    /** The part names a relationships part ({@code xl/_rels/workbook.xml.rels}) points to as macro sheets. */
    static List<String> relatedFrom(String relsName, String rels) {
        String source = relsName.replaceFirst("_rels/[^/]*\\.rels$", "");
        List<String> parts = new ArrayList<>();
        Matcher element = ELEMENT.matcher(rels);
        while (element.find()) {
            String type = attribute(element.group(), "Type");
            String target = attribute(element.group(), "Target");
            if (type != null && target != null && type.toLowerCase(Locale.ROOT).contains("macrosheet")
                    && !"External".equalsIgnoreCase(attribute(element.group(), "TargetMode"))) {
                parts.add(resolve(source, target));
            }
        }
        return parts;
    }

    /** The part names a relationships part points to as the main document ({@code …/officeDocument}). */
    static List<String> mainParts(String relsName, String rels) {
        String source = relsName.replaceFirst("_rels/[^/]*\\.rels$", "");
        List<String> parts = new ArrayList<>();
        Matcher element = ELEMENT.matcher(rels);
        while (element.find()) {
            String type = attribute(element.group(), "Type");
            String target = attribute(element.group(), "Target");
            if (type != null && target != null && type.endsWith("/officeDocument")
                    && !"External".equalsIgnoreCase(attribute(element.group(), "TargetMode"))) {
                parts.add(resolve(source, target));
            }
        }
        return parts;
    }

    /** The text of every {@code <f>} element, unescaped. */
    static List<String> formulas(String sheetXml) {
        List<String> formulas = new ArrayList<>();
        Matcher formula = FORMULA.matcher(sheetXml);
        while (formula.find()) {
            if (!formula.group(1).isBlank()) {
                formulas.add(unescape(formula.group(1)));
            }
        }
        return formulas;
    }

    private static String attribute(String element, String name) {
        Matcher attribute = ATTRIBUTE.matcher(element);
        while (attribute.find()) {
            if (attribute.group(1).equals(name)) {
                return unescape(attribute.group(2) != null ? attribute.group(2) : attribute.group(3));
            }
        }
        return null;
    }

    private static String resolve(String sourceFolder, String target) {
        String path = target.startsWith("/") ? target.substring(1) : sourceFolder + target;
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return String.join("/", segments);
    }

    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (entity.find()) {
            String replacement;
            if (entity.group(3) != null) {
                replacement = switch (entity.group(3)) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    default -> "'";
                };
            } else {
                int code = entity.group(1) != null ? Integer.parseInt(entity.group(1))
                        : Integer.parseInt(entity.group(2), 16);
                replacement = Character.isValidCodePoint(code) ? Character.toString(code) : "\uFFFD";
            }
            entity.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        entity.appendTail(out);
        return out.toString();
    }
}
