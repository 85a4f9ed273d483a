package io.tributary.bench.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The reference must refuse what the trigger-service refuses, or its figures flatter it. */
class SignatureTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final byte[] BODY = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    private final Signature signature = new Signature(SECRET, Duration.ofMinutes(5));

    @Test
    void acceptsTheSenderSignatureAmongOthers() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        String good = sign(KEY, "msg-1", ts, BODY);
        assertThat(signature.verify("msg-1", ts, good, BODY, NOW)).isTrue();
        assertThat(signature.verify("msg-1", ts, "v1,AAAA " + good, BODY, NOW)).isTrue();
        // Twice on one thread: the per-thread Mac is left ready for the next check.
        assertThat(signature.verify("msg-1", ts, good, BODY, NOW)).isTrue();
    }

    @Test
    void refusesAnotherBodyIdKeyOrStaleTimestamp() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        String good = sign(KEY, "msg-1", ts, BODY);
        assertThat(signature.verify("msg-1", ts, good, "{\"n\":2}".getBytes(), NOW)).isFalse();
        assertThat(signature.verify("msg-2", ts, good, BODY, NOW)).isFalse();
        assertThat(signature.verify("msg-1", ts, sign(new byte[32], "msg-1", ts, BODY), BODY, NOW))
                .isFalse();
        assertThat(signature.verify("msg-1", ts, good, BODY, NOW.plusSeconds(301))).isFalse();
        assertThat(signature.verify("msg-1", ts, null, BODY, NOW)).isFalse();
        assertThat(signature.verify("msg-1", "soon", good, BODY, NOW)).isFalse();
    }

    private static String sign(byte[] key, String id, String ts, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
