package org.peekaboo.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a sample: SHA-256 over the content's hex digest followed by the UTF-8
 * bytes of declared name, declared type and content disposition, each only when present.
 * This is PeekabooAV's definition (schema v10), kept bit for bit so that identities are
 * comparable with its database; its weakness (no separators, absent equals empty) is
 * accepted for that reason.
 */
public final class SampleIdentity {
    private SampleIdentity() {
    }

    public static String of(String sha256Hex, String nameDeclared, String typeDeclared, String contentDisposition) {
        MessageDigest digest = sha256();
        digest.update(sha256Hex.getBytes(StandardCharsets.US_ASCII));
        for (String part : new String[] {nameDeclared, typeDeclared, contentDisposition}) {
            if (part != null) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
