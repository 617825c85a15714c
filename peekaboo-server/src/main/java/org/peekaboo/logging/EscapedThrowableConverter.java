package org.peekaboo.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %escapedEx} in a Logback pattern: the stack trace as usual, one line per frame, but with
 * every exception message escaped. Messages often quote what a client sent (a path, a JSON
 * fragment); the frames themselves name only classes and methods.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(EscapedThrowable.of(throwable));
    }

    private record EscapedThrowable(IThrowableProxy original) implements IThrowableProxy {
        static IThrowableProxy of(IThrowableProxy throwable) {
            return throwable == null ? null : new EscapedThrowable(throwable);
        }

        @Override
        public String getMessage() {
            String message = original.getMessage();
            return message == null ? null : LogText.escape(message);
        }

        @Override
        public String getOverridingMessage() {
            String message = original.getOverridingMessage();
            return message == null ? null : LogText.escape(message);
        }

        @Override
        public String getClassName() {
            return LogText.escape(original.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return original.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return original.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(original.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = original.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = of(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return original.isCyclic();
        }
    }
}
