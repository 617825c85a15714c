package org.peekaboo.amavis.soak;

/** What a soak mail carries, and so whether it must be delivered or refused. */
public enum MailKind {
    CLEAN_TEXT("clean, text only", false, 15),
    CLEAN_PARTS("clean attachments", false, 25),
    CLEAN_ZIP("clean zip", false, 10),
    MARKER("PeekabooYar marker", true, 20),
    MACRO("Office macro", true, 15),
    ZIP_MARKER("marker in a zip", true, 10),
    ZIP_MACRO("macro in a zip", true, 5);

    private final String label;
    private final boolean bad;
    private final int weight;

    MailKind(String label, boolean bad, int weight) {
        this.label = label;
        this.bad = bad;
        this.weight = weight;
    }

    public String label() {
        return label;
    }

    /** A bad mail may be refused or tempfailed, never delivered; a clean one never refused. */
    public boolean bad() {
        return bad;
    }

    /** Relative share among the soak's mails. */
    int weight() {
        return weight;
    }
}
