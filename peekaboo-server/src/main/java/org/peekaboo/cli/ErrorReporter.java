package org.peekaboo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become a message and an exit code. Expected failures
 * (bad configuration, daemon not reachable) say what is wrong in one line; only the
 * unexpected get their cause chain.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof CommandFailedException failed) {
            err.println("peekaboo: " + failed.getMessage());
            return failed.exitCode();
        }
        if (e instanceof org.peekaboo.config.ConfigException) {
            err.println("peekaboo: configuration error: " + e.getMessage());
            return Main.EXIT_ERROR;
        }
        if (e instanceof java.io.IOException) {
            err.println("peekaboo: " + e.getMessage());
            return Main.EXIT_ERROR;
        }
        err.println("peekaboo: unexpected error: " + e);
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            err.println("  caused by: " + cause);
        }
        return Main.EXIT_ERROR;
    }
}
