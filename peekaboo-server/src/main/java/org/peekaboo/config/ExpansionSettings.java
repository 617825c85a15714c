package org.peekaboo.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.peekaboo.verdict.Result;

/**
 * How Peekaboo opens whole messages and archives ({@code [expansion]}): how far, and what a
 * container it cannot open completely is judged. See {@code docs/expansion.md}.
 *
 * @param enabled            whether containers are opened at all
 * @param maxDepth           containers inside containers: a member of a top-level sample is at depth 1
 * @param maxMembers         members of one top-level sample, all depths together
 * @param maxUnpackedSize    bytes unpacked from one top-level sample, all members together
 * @param maxRatio           largest ratio of a member's unpacked size to its packed size ...
 * @param ratioThreshold     ... counted only for members larger than this (small files compress well)
 * @param maxTime            time the unpacking of one top-level sample may take
 * @param passwords          passwords tried on encrypted archives and members, in order
 * @param passwordsFromText  whether the words of the mail's own text parts are tried too
 * @param maxPasswordWords   words of the text tried at most (each try of a 7z password costs ~0.1 s)
 * @param limitResult        result of a container that reaches a limit (all but time)
 * @param encryptedResult    result of an encrypted container or member that no password opens
 * @param unreadableResult   result of a container that is truncated or corrupt
 * @param unsupportedResult  result of a sound container with a member packed in a method Peekaboo has no decoder for
 */
public record ExpansionSettings(boolean enabled, int maxDepth, int maxMembers, long maxUnpackedSize, int maxRatio,
                                long ratioThreshold, Duration maxTime, List<String> passwords,
                                boolean passwordsFromText, int maxPasswordWords, Result limitResult,
                                Result encryptedResult, Result unreadableResult, Result unsupportedResult) {
    public static final int DEFAULT_MAX_DEPTH = 8;
    public static final int DEFAULT_MAX_MEMBERS = 1000;
    public static final long DEFAULT_MAX_UNPACKED_SIZE = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_RATIO = 100;
    public static final long DEFAULT_RATIO_THRESHOLD = 1024L * 1024;
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(30);
    /** Passwords dropper campaigns and malware exchanges use most; words from the mail are tried too. */
    public static final List<String> DEFAULT_PASSWORDS = List.of("infected", "malware", "virus", "1234", "12345",
            "123456", "password", "Password", "pass", "2024", "2025", "2026");
    public static final int DEFAULT_MAX_PASSWORD_WORDS = 200;

    public ExpansionSettings {
        Checks.inRange("expansion max_depth", maxDepth, 1, 64);
        Checks.inRange("expansion max_members", maxMembers, 1, 1_000_000);
        Checks.inRange("expansion max_unpacked_size", maxUnpackedSize, 1024, 1L << 40);
        Checks.inRange("expansion max_ratio", maxRatio, 2, 1_000_000);
        Checks.inRange("expansion ratio_threshold", ratioThreshold, 0, 1L << 40);
        Objects.requireNonNull(maxTime, "maxTime");
        if (maxTime.isNegative() || maxTime.isZero()) {
            throw new IllegalArgumentException("expansion max_time must be positive, not " + maxTime);
        }
        passwords = List.copyOf(passwords);
        Checks.inRange("expansion max_password_words", maxPasswordWords, 0, 100_000);
        Objects.requireNonNull(limitResult, "limitResult");
        Objects.requireNonNull(encryptedResult, "encryptedResult");
        Objects.requireNonNull(unreadableResult, "unreadableResult");
        Objects.requireNonNull(unsupportedResult, "unsupportedResult");
    }

    /**
     * The defaults. Limits far beyond what legitimate mail holds: an archive that reaches one was
     * built to exhaust scanners, so it is {@code bad} (deferring it would retry for days and then
     * bounce; passing it would be good by omission). An encrypted archive that neither the list nor the
     * mail's own words open is {@code ignored}, as encrypted Office documents are: a dropper must tell
     * its victim the password and does so in the mail, where Peekaboo looks, so what stays closed had
     * its password sent another way, as people do who exchange confidential files; {@code bad} would
     * refuse those, {@code unchecked} would defer them until they bounce. A corrupt container is
     * {@code bad}: other unpackers (7-Zip, WinRAR) may open what Peekaboo cannot, and malformed archives
     * are a way to slip past scanners, so it fails closed; and it is final, because a retry reads the
     * same bytes ({@code failed} deferred such mail until it bounced days later). A sound archive with
     * a member in a method Peekaboo cannot decode (PPMd, Reduce, compressed ARJ) is {@code ignored},
     * reported: such methods are old or rare but legitimate, Windows' Explorer opens none of them, so
     * droppers, which must open with a double-click, do not use them.
     */
    public static ExpansionSettings defaults() {
        return new ExpansionSettings(true, DEFAULT_MAX_DEPTH, DEFAULT_MAX_MEMBERS, DEFAULT_MAX_UNPACKED_SIZE,
                DEFAULT_MAX_RATIO, DEFAULT_RATIO_THRESHOLD, DEFAULT_MAX_TIME, DEFAULT_PASSWORDS, true,
                DEFAULT_MAX_PASSWORD_WORDS, Result.BAD, Result.IGNORED, Result.BAD, Result.IGNORED);
    }
}
