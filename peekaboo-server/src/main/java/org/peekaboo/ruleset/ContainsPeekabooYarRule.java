package org.peekaboo.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Finds PeekabooAV's EICAR-like test marker anywhere in a file, so that an installation
 * can be tested end to end with a harmless file that must come out {@code bad}. The sample's
 * snapshot is streamed, never loaded whole, and the client's file is never opened again.
 */
public record ContainsPeekabooYarRule() implements Rule {
    public static final String NAME = "contains_peekabooyar";
    public static final String MARKER = "X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*";

    static final int BUFFER_SIZE = 64 * 1024;
    private static final BytePattern PATTERN = new BytePattern(MARKER.getBytes(StandardCharsets.US_ASCII));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        boolean found;
        try (InputStream in = context.sample().content().openStream()) {
            // Any buffer size works for the streaming match; most attachments are far smaller than the maximum.
            found = PATTERN.isFoundIn(in, new byte[(int) Math.min(BUFFER_SIZE, context.sample().size() + 1)]);
        }
        if (found) {
            return RuleResult.stop(NAME, Result.BAD, "The file contains the PeekabooYar test marker");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "The file does not contain the PeekabooYar test marker");
    }
}
