package org.peekaboo.ruleset;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares a PDF bad when it runs or drops something: a {@code /Launch} action, JavaScript that
 * runs by itself (when the document or a page opens, on document events, document-level
 * scripts) or that makes the calls of droppers and exploits (in actions or in the scripts of
 * an XFA form), or an attached file that is a program or a script by its name or MZ header. The
 * attached files themselves are judged as members when expansion opens the PDF (a zip or macro
 * document attached goes through the whole ruleset); the name check here still stops what a
 * ruleset without expansion would let through. JavaScript that only formats and checks form fields runs when the reader
 * fills the form and calls nothing suspicious, so forms go on. A PDF is recognised by its
 * content ({@code %PDF-} in the first {@value #HEADER_WINDOW} bytes, as readers accept) or its
 * type; one PDFBox cannot read goes on unjudged: readers cannot open it either, and the type
 * lists still apply.
 */
public record PdfDropperRule() implements Rule {
    public static final String NAME = "pdf_dropper";
    static final int HEADER_WINDOW = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PdfDropperRule.class);
    private static final byte[] MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final String PDF_TYPE = "application/pdf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        if (!isPdf(context)) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no PDF");
        }
        List<String> findings;
        try {
            findings = PdfScan.scan(context.sample().content().file());
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // Malformed, truncated or password-protected: nothing to judge here, and no error of Peekaboo's.
            LOG.debug("PDF {} not readable: {}", context.sample().nameDeclared(), e.toString());
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The PDF cannot be read");
        }
        if (findings.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The PDF runs and carries nothing suspicious");
        }
        return RuleResult.stop(NAME, Result.BAD, "The file is a PDF that " + String.join("; ", findings));
    }

    private static boolean isPdf(SampleContext context) throws IOException {
        byte[] head = context.sample().content().head().toByteArray();
        int end = Math.min(head.length, HEADER_WINDOW) - MAGIC.length;
        for (int i = 0; i <= end; i++) {
            if (head[i] == MAGIC[0] && Arrays.equals(head, i, i + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                return true;
            }
        }
        FileTypeReport detected = context.fileTypes();
        return Stream.of(context.sample().typeDeclared(), detected.typeByContent())
                .anyMatch(type -> type != null && PDF_TYPE.equals(type.trim().toLowerCase(Locale.ROOT)));
    }
}
