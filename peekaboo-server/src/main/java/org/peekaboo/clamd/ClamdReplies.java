package org.peekaboo.clamd;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.listener.ReceivedDescriptor;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Verdict;

/** The words clamd answers with, and how a Peekaboo verdict becomes one of them. */
final class ClamdReplies {
    static final String PONG = "PONG";
    static final String UNKNOWN_COMMAND = "UNKNOWN COMMAND";
    static final String COMMAND_UNAVAILABLE = "COMMAND UNAVAILABLE";
    static final String SIZE_LIMIT_EXCEEDED = "INSTREAM size limit exceeded. ERROR";
    static final String INVALID_IN_SESSION = "Command invalid inside IDSESSION. ERROR";
    static final String COMMAND_READ_TIMED_OUT = "COMMAND READ TIMED OUT";
    /** clamd 1.4's words for a FILDES whose byte came without a descriptor (older releases differ). */
    static final String NO_FILE_DESCRIPTOR = "No file descriptor received. ERROR";
    static final String DESCRIPTOR_WITHOUT_FILDES = "PROTOCOL ERROR: ancillary data sent without FILDES. ERROR";
    /** What clamd adds when a connection fails before any command was taken from it. */
    static final String ERROR_PROCESSING_COMMAND = "Error processing command. ERROR";
    /** clamd's answer to a descriptor that is not a regular file (a pipe, a socket, a directory). */
    static final String NOT_A_REGULAR_FILE = "Not a regular file";
    static final String STREAM = "stream";
    /** What rspamd turns into its {@code _FAIL} symbol, which force_actions can make a soft reject. */
    static final String UNCHECKED_FOUND = "Heuristics.Limits.Exceeded.Peekaboo.Unchecked";
    /** The command table as clamd lists it (clients probe it for INSTREAM and IDSESSION). */
    static final String COMMANDS = "SCAN QUIT RELOAD PING CONTSCAN VERSIONCOMMANDS VERSION END SHUTDOWN"
            + " MULTISCAN FILDES STATS IDSESSION INSTREAM DETSTATSCLEAR DETSTATS ALLMATCHSCAN";
    /** clamd's date format after the database version (ctime without the newline). */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * The longest undecided line with its reason: clamav-milter reads at most 127 bytes of a reply
     * (a longer one is "overlong" and only then, by its OnFail, a deferral), MIMEDefang 256.
     */
    static final int MAX_UNDECIDED_REPLY = 120;

    private final ClamdProfile profile;
    private final String version;

    /**
     * @param peekabooVersion the daemon's version
     * @param started         when the ruleset was loaded, given where clamd gives its database's date
     */
    ClamdReplies(ClamdProfile profile, String peekabooVersion, Instant started) {
        this.profile = profile;
        this.version = "ClamAV Peekaboo-" + peekabooVersion.replaceAll("[^A-Za-z0-9._-]", "") + "/1/"
                + CTIME.format(started);
    }

    String version() {
        return version;
    }

    String versionCommands() {
        return version + "| COMMANDS: " + COMMANDS;
    }

    /**
     * The reply for one judged file: {@code <subject>: OK}, {@code <subject>: Peekaboo.<rule> FOUND},
     * or for an undecided file what the profile says.
     */
    String verdict(String subject, JudgedSample judged) {
        SampleVerdict verdict = judged.verdict();
        return switch (verdict.verdict()) {
            case GOOD -> subject + ": OK";
            case BAD -> subject + ": " + virusName(verdict.rule()) + " FOUND";
            case UNCHECKED -> unchecked(subject, verdict.reason());
        };
    }

    /** An undecided file (not decided in time, or failed): must defer the mail at the profile's client. */
    String unchecked(String subject, String reason) {
        if (profile.uncheckedAsFound()) {
            return subject + ": " + UNCHECKED_FOUND + " FOUND";
        }
        String explained = error(subject, "Peekaboo has no verdict yet (" + oneLine(reason) + "), try again later.");
        if (explained.getBytes(StandardCharsets.UTF_8).length <= MAX_UNDECIDED_REPLY) {
            return explained;
        }
        // The reason is in Peekaboo's log; a client that cuts the line would lose the ERROR at its end.
        return error(subject, "Peekaboo has no verdict yet, try again later.");
    }

    /** What clamd calls a passed descriptor in its reply: {@code fd[<its number in the daemon>]}. */
    static String descriptor(ReceivedDescriptor descriptor) {
        return "fd[" + descriptor.number() + "]";
    }

    static String error(String subject, String message) {
        return subject + ": " + oneLine(message) + " ERROR";
    }

    /** {@code Peekaboo.<rule>} with only the characters virus names are made of. */
    static String virusName(String rule) {
        String name = rule.replaceAll("[^A-Za-z0-9._-]", "_");
        return "Peekaboo." + (name.isEmpty() ? "unnamed" : name);
    }

    static boolean isGood(JudgedSample judged) {
        return judged.verdict().verdict() == Verdict.GOOD;
    }

    /** A reply line may hold neither terminator: a NUL or newline would end it early. */
    static String oneLine(String text) {
        return text.replaceAll("[\\x00-\\x1f\\x7f]", " ");
    }
}
