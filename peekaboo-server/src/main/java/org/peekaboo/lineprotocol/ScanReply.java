package org.peekaboo.lineprotocol;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.Verdict;

/**
 * The server's answer to a scan request as the client read it.
 *
 * @param files       the per-file verdicts, in the order the server reported them
 * @param categorized the collection verdict from the final line, empty if that line never came
 * @param errors      the messages of all {@code ERROR:} lines (without the prefix)
 * @param lines       every line received, greeting and keep-alives included
 * @param members     the verdicts of the members of files that are containers (messages, archives), in
 *                    the order the server reported them
 */
public record ScanReply(List<FileVerdict> files, Optional<Verdict> categorized, List<String> errors,
                        List<String> lines, List<MemberVerdict> members) {
    public ScanReply {
        files = List.copyOf(files);
        members = List.copyOf(members);
        Objects.requireNonNull(categorized, "categorized");
        errors = List.copyOf(errors);
        lines = List.copyOf(lines);
    }

    /** The collection verdict; a reply without a final line counts as unchecked. */
    public Verdict verdict() {
        return categorized.orElse(Verdict.UNCHECKED);
    }

    /**
     * One file's verdict line.
     *
     * @param name    the base name of the file's path as the server reported it
     * @param verdict the verdict for this file
     * @param result  the result behind it
     * @param rule    the rule (or pseudo rule such as {@code deadline}) that decided
     * @param reason  that rule's reason
     */
    public record FileVerdict(String name, Verdict verdict, Result result, String rule, String reason) {
        public FileVerdict {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The verdict line of a member of a container the client named.
     *
     * @param file    the base name of the file's path as the server reported it
     * @param member  the member's chain of declared names, e.g. {@code invoice.zip/docs/invoice.docm}
     */
    public record MemberVerdict(String file, String member, Verdict verdict, Result result, String rule,
                                String reason) {
        public MemberVerdict {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
