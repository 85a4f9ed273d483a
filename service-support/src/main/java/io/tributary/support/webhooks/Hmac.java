package io.tributary.support.webhooks;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one {@link Mac} per thread: looking the algorithm up for every signature check
 * was a visible share of a webhook's CPU.
 */
public final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";
    private static final ThreadLocal<Mac> MAC =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return Mac.getInstance(ALGORITHM);
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException(ALGORITHM + " is not available", e);
                        }
                    });

    private Hmac() {}

    /** HMAC-SHA256 of the parts, in order, under {@code key}. */
    public static byte[] sha256(byte[] key, byte[]... parts) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an HMAC key", e);
        }
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }
}
