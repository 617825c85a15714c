package org.peekaboo.sample.magic;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.apache.tika.mime.MediaType;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the magic rules and XML root declarations out of Tika's type database files
 * ({@code tika-mimetypes.xml} and any custom ones), element by element the way Tika's own
 * reader attaches them to types, so the rules evaluated here are Tika's, in Tika's order,
 * under Tika's type names. Everything else in the files (names, globs, descriptions) stays
 * with Tika, which answers those questions itself.
 */
final class TikaMagicReader extends DefaultHandler {
    private static final int DEFAULT_PRIORITY = 50;

    /** Canonical type of each registered name and alias, as Tika's registry maps them. */
    private final Map<MediaType, MediaType> registry = new HashMap<>();
    /** Types as Tika creates them, keyed by the name they were created under. */
    private final Map<MediaType, MediaType> types = new HashMap<>();
    private final Map<String, PatternCheck> checks = new HashMap<>();
    private final List<MagicRule> rules = new ArrayList<>();
    private final Map<MediaType, List<RootXml>> rootXml = new LinkedHashMap<>();

    private MediaType type;
    private int priority;
    private Node current;

    TikaMagicReader() {
        // Tika registers these three before it reads any file.
        for (MediaType builtIn : List.of(MediaType.OCTET_STREAM, MediaType.TEXT_PLAIN, MediaType.APPLICATION_XML)) {
            registry.put(builtIn, builtIn);
            types.put(builtIn, builtIn);
        }
    }

    void read(URL file) throws IOException {
        try (InputStream in = file.openStream()) {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            SAXParser parser = factory.newSAXParser();
            parser.parse(in, this);
        } catch (SAXException | ParserConfigurationException | RuntimeException e) {
            throw new IOException("Cannot read Tika's type database " + file + ": " + e, e);
        }
    }

    List<MagicRule> rules() {
        return List.copyOf(rules);
    }

    Map<MediaType, List<RootXml>> rootXml() {
        Map<MediaType, List<RootXml>> copy = new LinkedHashMap<>();
        rootXml.forEach((declaring, roots) -> copy.put(declaring, List.copyOf(roots)));
        return copy;
    }

    /** The distinct tests the rules make. */
    List<PatternCheck> checks() {
        return List.copyOf(checks.values());
    }

    @Override
    public InputSource resolveEntity(String publicId, String systemId) {
        return new InputSource(InputStream.nullInputStream());
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        if (type == null) {
            if ("mime-type".equals(qName)) {
                type = typeNamed(attributes.getValue("type"));
            }
            return;
        }
        switch (qName) {
            case "alias" -> {
                MediaType alias = MediaType.parse(attributes.getValue("type"));
                if (alias != null) {
                    registry.put(alias, type);
                }
            }
            case "root-XML" -> rootXml.computeIfAbsent(type, t -> new ArrayList<>())
                    .add(new RootXml(attributes.getValue("namespaceURI"), attributes.getValue("localName")));
            case "magic" -> {
                String value = attributes.getValue("priority");
                priority = value != null && !value.isEmpty() ? Integer.parseInt(value) : DEFAULT_PRIORITY;
                current = new Node(null, null, null);
            }
            case "match" -> {
                if (current == null) {
                    throw new IllegalStateException("<match> outside <magic> in " + type);
                }
                String minShouldMatch = attributes.getValue("minShouldMatch");
                if (minShouldMatch != null) {
                    current = new Node(current, null, Integer.parseInt(minShouldMatch));
                } else {
                    current = new Node(current, test(attributes), null);
                }
            }
            default -> {
                // names, globs, descriptions and links are Tika's business
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        if (type == null) {
            return;
        }
        switch (qName) {
            case "mime-type" -> type = null;
            case "match" -> {
                Node done = current;
                current = done.parent;
                current.children.add(done.clause());
            }
            case "magic" -> {
                if (current.children.isEmpty()) {
                    throw new IllegalStateException("<magic> without <match> in " + type);
                }
                for (MagicClause clause : current.children) {
                    rules.add(new MagicRule(type.toString(), priority, clause));
                }
                current = null;
            }
            default -> {
            }
        }
    }

    /** Tika's {@code forName}: the registered type for a name or alias, else a new type. */
    private MediaType typeNamed(String name) {
        MediaType parsed = MediaType.parse(name);
        if (parsed == null) {
            throw new IllegalArgumentException("Invalid media type name: " + name);
        }
        MediaType canonical = registry.get(parsed.getBaseType());
        MediaType normalised = canonical == null ? parsed
                : parsed.hasParameters() ? new MediaType(canonical, parsed.getParameters()) : canonical;
        MediaType known = types.get(normalised);
        if (known != null) {
            return known;
        }
        registry.put(parsed, parsed);
        types.put(parsed, parsed);
        return parsed;
    }

    private MagicTest test(Attributes attributes) {
        String kind = attributes.getValue("type");
        if (kind == null) {
            kind = "string";
        }
        String offset = attributes.getValue("offset");
        String value = attributes.getValue("value");
        String mask = attributes.getValue("mask");
        PatternCheck.Spec spec = PatternCheck.parse(kind, offset, value, mask);
        PatternCheck check = checks.computeIfAbsent(spec.key(), key -> spec.build(checks.size()));
        return new MagicTest(MagicTest.tikaText(type.toString(), kind, offset, value, mask), check);
    }

    /** A {@code <match>} being read: its own test (or minimum), and the nested ones so far. */
    private static final class Node {
        final Node parent;
        final MagicTest test;
        final Integer atLeast;
        final List<MagicClause> children = new ArrayList<>();

        Node(Node parent, MagicTest test, Integer atLeast) {
            this.parent = parent;
            this.test = test;
            this.atLeast = atLeast;
        }

        MagicClause clause() {
            if (atLeast != null) {
                return new MagicClause.AtLeast(atLeast, children);
            }
            if (children.isEmpty()) {
                return test;
            }
            MagicClause then = children.size() == 1 ? children.get(0) : new MagicClause.AnyOf(children);
            return new MagicClause.AllOf(test, then);
        }
    }
}
