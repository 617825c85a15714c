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

    /**
     * The reading was interrupted (the daemon shuts down): like running out of time, undecided and
     * never final, so that the retry judges the container afresh.
     */
    public static Finding interrupted() {
        return undecided("interrupted");
    }

    /** Opening stopped for a passing reason ({@code detail}): undecided and never final, as running out of time. */
    public static Finding undecided(String detail) {
        return new Finding(Kind.TIME, detail);
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
        /** A truncated or corrupt container. */
        UNREADABLE("unreadable"),
        /** A sound container with a member packed in a method Peekaboo has no decoder for (PPMd, Reduce, ARJ). */
        UNSUPPORTED("unsupported");

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
