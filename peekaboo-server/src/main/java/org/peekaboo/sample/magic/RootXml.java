package org.peekaboo.sample.magic;

/**
 * A {@code <root-XML>} declaration: XML whose root element has this namespace and local
 * name is of the declaring type. An empty or absent part must be empty in the document too.
 */
record RootXml(String namespaceUri, String localName) {
    RootXml {
        // Tika refuses such a declaration when it reads its database; so does this.
        if (isEmpty(namespaceUri) && isEmpty(localName)) {
            throw new IllegalArgumentException("Both namespaceURI and localName cannot be empty");
        }
    }

    boolean matches(String documentNamespace, String documentLocalName) {
        boolean namespaceMatches = isEmpty(namespaceUri) ? isEmpty(documentNamespace)
                : namespaceUri.equals(documentNamespace);
        boolean nameMatches = isEmpty(localName) ? isEmpty(documentLocalName) : localName.equals(documentLocalName);
        return namespaceMatches && nameMatches;
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }
}
