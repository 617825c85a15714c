package org.peekaboo.ruleset.expression;

/**
 * A report an expression needs could not be obtained (the analysis failed, Cortex is
 * down, …). Carries the path that was asked for, so the reason can say which report.
 */
public final class ReportUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;

    public ReportUnavailableException(String path, Throwable cause) {
        super("could not get " + path + ": " + describe(cause), cause);
        this.path = path;
    }

    /** What was asked for, e.g. {@code cortexreport.FileInfoReport}. */
    public String path() {
        return path;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
