package org.peekaboo.lineprotocol;

/** The values of a request object's {@code request} key. */
enum RequestType {
    SCAN_FILE("scan-file"),
    PING("ping"),
    /** Peekaboo's own: the daemon's state for {@code peekaboo status}. */
    STATUS("status"),
    /** Anything else; the request is then refused rather than guessed at. */
    UNSUPPORTED(null);

    private final String wireName;

    RequestType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static RequestType parse(String value) {
        for (RequestType type : values()) {
            if (type.wireName != null && type.wireName.equals(value)) {
                return type;
            }
        }
        return UNSUPPORTED;
    }
}
