package org.peekaboo.metrics;

/** The front ends whose requests are counted, by the label value they carry. */
public enum FrontEnd {
    LINE_PROTOCOL("line"),
    CLAMD("clamd"),
    HTTP("http");

    private final String label;

    FrontEnd(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
