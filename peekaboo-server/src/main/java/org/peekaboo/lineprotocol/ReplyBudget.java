package org.peekaboo.lineprotocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.peekaboo.verdict.Verdict;

/**
 * Decides how much of the per-file report fits into the answer. amavis keeps only the first
 * ~100 000 bytes of a scanner's answer; if the final line is cut off it sees a scanner
 * failure and defers the mail on every retry. So when the full report would not fit within
 * {@code max_reply_size}, it is shortened step by step until it does, leaving out first what
 * matters least to the mail filter:
 *
 * <ol>
 *   <li>{@link Shortening#RULES_OF_GOOD_FILES}: the rule lines of files judged good;</li>
 *   <li>{@link Shortening#GOOD_FILES}: every line about files judged good, one line counting them
 *       instead; bad and unchecked files keep their full blocks;</li>
 *   <li>{@link Shortening#RULES_OF_ALL_FILES}: also the rule lines of bad and unchecked files;</li>
 *   <li>{@link Shortening#VERDICT_LINES_ONLY}: only the verdict lines of bad files, then of
 *       unchecked ones, as many as fit, and one line counting the rest.</li>
 * </ol>
 *
 * Every file still counts for the collection verdict, which the caller writes after these
 * lines; this class reserves the room for it. Bad files' verdict lines are the last to go
 * because amavis takes the virus names from them.
 */
final class ReplyBudget {
    private static final String GOOD = "good";
    private static final String NOT_GOOD = "bad or unchecked";
    /** The final line with the longest verdict, and the empty line after it. */
    private static final int FINAL_LINES = ProtocolLines.categorized(Verdict.UNCHECKED).wireLength()
            + ResponseLine.EMPTY.wireLength();

    /** How far a report was shortened, from not at all to the most. */
    enum Shortening {
        NONE,
        RULES_OF_GOOD_FILES,
        GOOD_FILES,
        RULES_OF_ALL_FILES,
        VERDICT_LINES_ONLY
    }

    /** The lines to write for the files, and how far they were shortened to get there. */
    record FittedReport(List<ResponseLine> lines, Shortening shortening) {
        FittedReport {
            lines = List.copyOf(lines);
            Objects.requireNonNull(shortening, "shortening");
        }
    }

    private final int maxReplyBytes;

    /** @param maxReplyBytes the most bytes the whole answer may take, greeting to final line */
    ReplyBudget(int maxReplyBytes) {
        this.maxReplyBytes = maxReplyBytes;
    }

    /**
     * The report lines for {@code files}, shortened only as far as needed.
     *
     * @param files       every file of the request, in request order
     * @param alreadySent bytes of the answer written before the report (greeting, pongs, keep-alives)
     */
    FittedReport fit(List<FileReport> files, long alreadySent) {
        long room = maxReplyBytes - alreadySent - FINAL_LINES;
        List<ResponseLine> full = new ArrayList<>();
        files.forEach(file -> full.addAll(file.lines()));
        if (wireLength(full) <= room) {
            return new FittedReport(full, Shortening.NONE);
        }

        int good = (int) files.stream().filter(ReplyBudget::isGood).count();
        int notGood = files.size() - good;
        List<ResponseLine> goodBrief = new ArrayList<>();
        files.forEach(file -> goodBrief.addAll(isGood(file) ? file.withoutRules() : file.lines()));
        goodBrief.add(ProtocolLines.rulesLeftOut(good, GOOD, maxReplyBytes));
        if (good > 0 && wireLength(goodBrief) <= room) {
            return new FittedReport(goodBrief, Shortening.RULES_OF_GOOD_FILES);
        }

        List<ResponseLine> goodLeftOut = good == 0 ? List.of()
                : List.of(ProtocolLines.filesLeftOut(good, GOOD, maxReplyBytes));
        List<ResponseLine> notGoodFull = new ArrayList<>();
        files.stream().filter(file -> !isGood(file)).forEach(file -> notGoodFull.addAll(file.lines()));
        notGoodFull.addAll(goodLeftOut);
        if (wireLength(notGoodFull) <= room) {
            return new FittedReport(notGoodFull, Shortening.GOOD_FILES);
        }

        List<ResponseLine> notGoodBrief = new ArrayList<>();
        files.stream().filter(file -> !isGood(file)).forEach(file -> notGoodBrief.addAll(file.withoutRules()));
        notGoodBrief.addAll(goodLeftOut);
        notGoodBrief.add(ProtocolLines.rulesLeftOut(notGood, NOT_GOOD, maxReplyBytes));
        if (notGood > 0 && wireLength(notGoodBrief) <= room) {
            return new FittedReport(notGoodBrief, Shortening.RULES_OF_ALL_FILES);
        }

        return new FittedReport(verdictLinesOnly(files, goodLeftOut, notGood, room), Shortening.VERDICT_LINES_ONLY);
    }

    /**
     * The verdict lines of bad files, then of unchecked ones, while they fit, in request
     * order, and the lines counting what was left out.
     */
    private List<ResponseLine> verdictLinesOnly(List<FileReport> files, List<ResponseLine> goodLeftOut,
                                                int notGood, long room) {
        // Counting lines are reserved at their longest: fewer files left out never need more digits.
        long left = room - wireLength(goodLeftOut)
                - ProtocolLines.filesLeftOut(notGood, NOT_GOOD, maxReplyBytes).wireLength();
        boolean[] kept = new boolean[files.size()];
        int keptCount = 0;
        for (Verdict severity : List.of(Verdict.BAD, Verdict.UNCHECKED)) {
            for (int i = 0; i < files.size(); i++) {
                FileReport file = files.get(i);
                int length = file.verdictLine().wireLength();
                if (file.verdict() == severity && length <= left) {
                    kept[i] = true;
                    keptCount++;
                    left -= length;
                }
            }
        }
        List<ResponseLine> lines = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (kept[i]) {
                lines.add(files.get(i).verdictLine());
            }
        }
        lines.addAll(goodLeftOut);
        if (keptCount < notGood) {
            lines.add(ProtocolLines.filesLeftOut(notGood - keptCount, NOT_GOOD, maxReplyBytes));
        }
        return lines;
    }

    private static boolean isGood(FileReport file) {
        return file.verdict() == Verdict.GOOD;
    }

    private static long wireLength(List<ResponseLine> lines) {
        long bytes = 0;
        for (ResponseLine line : lines) {
            bytes += line.wireLength();
        }
        return bytes;
    }
}
