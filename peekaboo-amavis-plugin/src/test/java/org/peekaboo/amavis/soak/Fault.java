package org.peekaboo.amavis.soak;

/** What the soak does to the pipeline while mail flows through it. */
public enum Fault {
    PEEKABOO_SIGKILL("Peekaboo kill -9, restarted"),
    PEEKABOO_SIGTERM("Peekaboo SIGTERM, restarted"),
    DATABASE_STOP("MariaDB stopped, started"),
    DATABASE_SIGKILL("MariaDB kill -9, started");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
