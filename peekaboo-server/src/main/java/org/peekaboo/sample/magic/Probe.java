package org.peekaboo.sample.magic;

/**
 * The content under examination during one detection, with the results of the tests
 * already made: several rules share a test (the OLE2 or ZIP signature heads dozens of
 * them), and each is worth making once. One per detection, confined to its thread.
 */
final class Probe {
    private static final byte UNKNOWN = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;

    final byte[] data;
    final int length;
    private final byte[] results;

    Probe(byte[] data, int testCount) {
        this.data = data;
        this.length = data.length;
        this.results = new byte[testCount];
    }

    boolean test(PatternCheck test) {
        byte known = results[test.id()];
        if (known != UNKNOWN) {
            return known == TRUE;
        }
        boolean result = test.evaluate(data, length);
        results[test.id()] = result ? TRUE : FALSE;
        return result;
    }
}
