package org.peekaboo.sample.magic;

/**
 * One {@code <match>} element of Tika's database, as a rule sees it: the test it makes,
 * shared with every other element that makes the same test, and the text Tika knows it
 * by (which includes the media type, so it is not shared).
 */
record MagicTest(String tikaText, PatternCheck check) implements MagicClause {

    @Override
    public boolean matches(Probe probe) {
        return probe.test(check);
    }

    @Override
    public int size() {
        return check.patternLength();
    }

    @Override
    public int minLength() {
        return check.minLength();
    }

    @Override
    public ByteSet firstBytes() {
        return check.firstBytes();
    }

    /** Tika's text of a match element: the raw attributes, absent ones as "null". */
    static String tikaText(String mediaType, String kind, String offset, String value, String mask) {
        return mediaType + " " + kind + " " + offset + " " + value + " " + mask;
    }
}
