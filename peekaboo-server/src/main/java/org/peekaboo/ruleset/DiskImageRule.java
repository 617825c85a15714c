package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.peekaboo.expansion.DiskImage;
import org.peekaboo.sample.FileExtension;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares a disk image bad when it carries, at any depth, a Windows shortcut, a program or a script:
 * the ISO, IMG and VHD droppers of Qakbot, IcedID and Bumblebee hold a {@code .lnk} that starts a
 * hidden DLL, or a {@code .js}/{@code .hta}/{@code .exe}. Windows mounts such an image on a double-click,
 * and mail almost never carries disk images for any other reason. The rule lists the image itself
 * rather than waiting for its members' verdicts, because a DLL alone is no rule's verdict. An image
 * holding only documents and pictures goes on: the expansion judges its members. An image Peekaboo
 * cannot list (VHDX, UDF, damaged) gets {@code unreadable_result}, by default bad.
 */
public record DiskImageRule(Result unreadableResult) implements Rule {
    public static final String NAME = "disk_image";
    public static final Result DEFAULT_UNREADABLE_RESULT = Result.BAD;

    /** Names that make a file a disk image whatever its content looks like. */
    static final Set<String> EXTENSIONS = Set.of("iso", "img", "ima", "vhd", "vhdx", "udf");
    /** Tika's types of disk images (its FAT and VHD magic is loose: the listing decides). */
    static final Set<String> TYPES = Set.of("application/x-iso9660-image", "application/x-fat-diskimage",
            "application/x-vhd");

    private static final int HEAD = 32;
    private static final int NAMED = 3;

    public DiskImageRule {
        Objects.requireNonNull(unreadableResult, "unreadableResult");
        if (unreadableResult == Result.UNCHECKED) {
            throw new IllegalArgumentException("a rule never answers unchecked");
        }
    }

    public DiskImageRule() {
        this(DEFAULT_UNREADABLE_RESULT);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        Optional<String> kind = DiskImage.kindOf(context.sample().content());
        if (kind.isEmpty() && !claimsToBeImage(context)) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no disk image");
        }
        DiskImage.Listing listing = DiskImage.list(context.sample().content(), HEAD);
        List<String> offenders = new ArrayList<>();
        for (DiskImage.Entry entry : listing.files()) {
            String what = offence(entry);
            if (what != null) {
                offenders.add("\"" + entry.path() + "\" (" + what + ")");
            }
        }
        String image = listing.kind();
        if (!offenders.isEmpty()) {
            String named = String.join(", ", offenders.subList(0, Math.min(NAMED, offenders.size())))
                    + (offenders.size() > NAMED ? " and " + (offenders.size() - NAMED) + " more" : "");
            return RuleResult.stop(NAME, Result.BAD, "The file is " + article(image) + " carrying what Windows runs"
                    + " from the mounted image: " + named);
        }
        if (listing.problem() != null) {
            String reason = (kind.isEmpty() ? "The file is named or typed as a disk image" : "The file is "
                    + article(image)) + " Peekaboo cannot list completely (" + listing.problem()
                    + "); Windows mounts disk images on a double-click and mail hardly ever carries them";
            return unreadableResult == Result.BAD ? RuleResult.stop(NAME, unreadableResult, reason)
                    : RuleResult.proceed(NAME, unreadableResult, reason);
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is " + article(image) + " of "
                + listing.files().size() + " files, none a shortcut, program or script");
    }

    private static boolean claimsToBeImage(SampleContext context) throws IOException {
        String name = context.sample().nameDeclared();
        String extension = name == null ? null : FileExtension.of(name.replaceFirst("[. ]+$", ""));
        if (extension != null && EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String type = context.fileTypes().typeByContent();
        return type != null && TYPES.contains(type.toLowerCase(Locale.ROOT));
    }

    /** What makes the file a danger, or null. */
    private static String offence(DiskImage.Entry entry) {
        if (ShellLink.hasMagic(entry.head())) {
            return "a Windows shortcut";
        }
        Optional<String> byName = RunnableNames.kind(entry.path());
        if (byName.isPresent() && !byName.get().equals("a disk image")) {
            return byName.get();
        }
        byte[] head = entry.head();
        if (head.length >= 2 && head[0] == 'M' && head[1] == 'Z') {
            return "a program (MZ header)";
        }
        return null;
    }

    private static String article(String kind) {
        return switch (kind.charAt(0)) {
            case 'I', 'N', 'a', 'e', 'i', 'o', 'u' -> "an " + kind;
            default -> "a " + kind;
        };
    }
}
