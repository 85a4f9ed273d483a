package io.tributary.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Comparing secrets without telling an attacker how much of a guess was right. */
public final class Secrets {
    private Secrets() {}

    /** The SHA-256 of a secret: what is kept in memory instead of the secret itself. */
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Constant-time equality (digests first, so neither length nor a common prefix shows); false
     * when either side is null or the expected secret is empty.
     */
    public static boolean matches(String expected, String presented) {
        if (expected == null || expected.isEmpty() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }
}
