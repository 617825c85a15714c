package org.peekaboo.expansion;

import java.util.Objects;

/**
 * Something that kept a container from being opened completely. The members read before it are
 * judged all the same; the finding is judged on the container (see {@link Kind}).
 *
 * @param kind   what happened
 * @param detail for people: which member, which limit, what the library said
 */
public record Finding(Kind kind, String detail) {
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public enum Kind {
        /** Containers nested deeper than {@code max_depth}. */
        DEPTH("limit"),
        /** More members than {@code max_members}. */
        MEMBERS("limit"),
        /** More unpacked bytes than {@code max_unpacked_size}. */
        SIZE("limit"),
        /** A member unpacked far larger than it was packed ({@code max_ratio}): a zip bomb. */
        RATIO("limit"),
        /** Unpacking took longer than {@code max_time}. */
        TIME("time"),
        /** An encrypted container or member that no password opened. */
        ENCRYPTED("encrypted"),
        /** A truncated or corrupt container, or one in a method Peekaboo cannot read. */
        UNREADABLE("unreadable");

        private final String policy;

        Kind(String policy) {
            this.policy = policy;
        }

        /** Which setting's result applies: {@code limit}, {@code time}, {@code encrypted} or {@code unreadable}. */
        public String policy() {
            return policy;
        }
    }
}
