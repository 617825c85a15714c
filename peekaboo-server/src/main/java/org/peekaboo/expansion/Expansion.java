package org.peekaboo.expansion;

import java.io.IOException;
import java.util.List;

/**
 * What opening one container gave.
 *
 * @param members  the members read, in the container's order; the caller closes their contents
 * @param findings what kept the container from being opened completely, empty when nothing did
 * @param words    words of the container's own text (a message's text parts) that may be the
 *                 password of an encrypted member; empty for archives
 */
public record Expansion(List<Member> members, List<Finding> findings, List<String> words) {
    public Expansion {
        members = List.copyOf(members);
        findings = List.copyOf(findings);
        words = List.copyOf(words);
    }

    /** A container that could not be opened at all. */
    public static Expansion failed(Finding finding) {
        return new Expansion(List.of(), List.of(finding), List.of());
    }

    /** Closes every member's content, e.g. when nobody will judge them. */
    public void closeMembers() {
        for (Member member : members) {
            try {
                member.content().close();
            } catch (IOException e) {
                // Only a spooled copy could not be deleted; nothing depends on it.
            }
        }
    }
}
