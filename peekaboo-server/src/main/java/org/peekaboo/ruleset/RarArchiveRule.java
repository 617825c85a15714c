package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.peekaboo.expansion.RarListing;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares a RAR archive bad when, by the names in its headers, it carries a program, a script,
 * a shortcut or a disk image. Peekaboo cannot unpack RAR (no open-source Java decoder exists), so
 * its members are never judged like those of a ZIP; but Windows and the unpackers act on the
 * extension, and RAR droppers carry {@code invoice.exe}, {@code scan.js} or {@code doc.lnk} under
 * their own names, in the clear. An archive whose headers are encrypted hides its names and goes on,
 * as encrypted archives do by default (docs/expansion.md).
 */
public record RarArchiveRule() implements Rule {
    public static final String NAME = "rar_archive";

    private static final int NAMED_AT_MOST = 3;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        if (!RarListing.hasMagic(context.sample().content().head().toByteArray())) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no RAR archive");
        }
        Optional<RarListing.Listing> read = RarListing.read(context.sample().content().file());
        if (read.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no RAR archive");
        }
        RarListing.Listing listing = read.get();
        List<String> runnable = listing.names().stream().filter(RarArchiveRule::runnable).toList();
        if (!runnable.isEmpty()) {
            return RuleResult.stop(NAME, Result.BAD, "The file is a RAR archive that carries "
                    + describe(runnable) + ": a program, script, shortcut or disk image by its name");
        }
        if (listing.encryptedHeaders()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN,
                    "The RAR archive encrypts its file names: they cannot be checked");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "The RAR archive carries no program, script or shortcut by"
                + " name" + (listing.complete() ? "" : " (as far as its damaged or long listing could be read)")
                + "; its files cannot be unpacked and are not judged themselves");
    }

    private static boolean runnable(String path) {
        return !path.endsWith("/") && RunnableNames.kind(path).isPresent();
    }

    private static String describe(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(NAMED_AT_MOST, names.size())).stream()
                .map(name -> "\"" + name + "\"").toList());
        return names.size() > NAMED_AT_MOST ? shown + " and " + (names.size() - NAMED_AT_MOST) + " more" : shown;
    }
}
