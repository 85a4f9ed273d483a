package io.tributary.trigger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What senders do: signatures of the four schemes, written independently of the service code. */
final class Signing {
    private Signing() {}

    static byte[] hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh Standard Webhooks secret: whsec_ + base64 of 32 random-ish bytes. */
    static String whsec(String seed) {
        byte[] key = new byte[32];
        byte[] s = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (s[i % s.length] + i);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** webhook-signature value "v1,<base64>" over id.timestamp.body. */
    static String standard(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        return "v1,"
                + Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + body));
    }

    /** X-Hub-Signature-256 value. */
    static String github(String secret, String body) {
        return "sha256="
                + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** The v1 hex of Stripe-Signature. */
    static String stripeV1(String secret, long timestamp, String body) {
        return HexFormat.of()
                .formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp + "." + body));
    }

    static String hex(String secret, String content) {
        return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), content));
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
