package org.peekaboo.amavis.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints what amavisd logged during a failed test: the SMTP reply alone rarely says why a
 * mail was passed or refused, amavis' log of the scanner conversation does.
 */
public final class ShowLogsOnFailure implements BeforeEachCallback, TestWatcher {
    private final Supplier<AmavisInstance> amavis;
    private final Map<String, Long> positions = new LinkedHashMap<>();

    public ShowLogsOnFailure(Supplier<AmavisInstance> amavis) {
        this.amavis = amavis;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        AmavisInstance instance = amavis.get();
        positions.put(context.getUniqueId(), instance == null ? 0L : instance.logPosition());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        AmavisInstance instance = amavis.get();
        if (instance != null) {
            System.err.println("--- amavisd log during " + context.getDisplayName() + " ---\n"
                    + instance.logSince(positions.getOrDefault(context.getUniqueId(), 0L)) + "--- end ---");
        }
    }
}
