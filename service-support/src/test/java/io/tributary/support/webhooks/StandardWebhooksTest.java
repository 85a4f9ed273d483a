package io.tributary.support.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
    // The example of the Standard Webhooks specification (an oracle we did not compute).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TS = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant AT = Instant.ofEpochSecond(TS + 10);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private static StandardWebhooks.Verification verify(
            List<String> secrets, String ts, String signature, Instant now) {
        return StandardWebhooks.verify(secrets, ID, ts, signature, BODY, now, FIVE_MINUTES);
    }

    @Test
    void signsAsTheSpecificationsExample() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TS, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesTheExampleAmongOtherSignaturesAndRotatedSecrets() {
        String other = StandardWebhooks.newSecret();
        assertThat(verify(List.of(SECRET), "" + TS, SIGNATURE, AT).ok()).isTrue();
        assertThat(verify(List.of(other, SECRET), "" + TS, "v1,Zm9v " + SIGNATURE, AT).ok())
                .isTrue();
        assertThat(verify(List.of(other), "" + TS, SIGNATURE, AT).reason())
                .isEqualTo("bad_signature");
    }

    @Test
    void refusesWhatIsMissingStaleMalformedOrTooLong() {
        assertThat(
                        StandardWebhooks.verify(
                                        List.of(SECRET),
                                        null,
                                        "" + TS,
                                        SIGNATURE,
                                        BODY,
                                        AT,
                                        FIVE_MINUTES)
                                .reason())
                .isEqualTo("missing_signature");
        assertThat(verify(List.of(SECRET), "" + TS, SIGNATURE, AT.plusSeconds(600)).reason())
                .isEqualTo("stale_timestamp");
        assertThat(verify(List.of(SECRET), "soon", SIGNATURE, AT).reason())
                .isEqualTo("bad_timestamp");
        assertThat(verify(List.of(SECRET), "" + TS, "v1,not-base64!", AT).reason())
                .isEqualTo("bad_signature");
        assertThat(verify(List.of(SECRET), "" + TS, SIGNATURE + " x".repeat(1100), AT).reason())
                .isEqualTo("bad_signature");
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(
                        StandardWebhooks.verify(
                                        List.of(SECRET),
                                        ID,
                                        "" + TS,
                                        SIGNATURE,
                                        tampered,
                                        AT,
                                        FIVE_MINUTES)
                                .ok())
                .isFalse();
    }

    @Test
    void newSecretsSignAndVerifyAndBadSecretsAreNamed() {
        String secret = StandardWebhooks.newSecret();
        StandardWebhooks.requireSigningSecret(secret);
        String sig = StandardWebhooks.sign(secret, ID, TS, BODY);
        assertThat(verify(List.of(secret), "" + TS, sig, AT).ok()).isTrue();
        assertThatThrownBy(() -> StandardWebhooks.requireSigningSecret("plain"))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> StandardWebhooks.requireSigningSecret("whsec_c2hvcnQ="))
                .hasMessageContaining("24 to 64 bytes");
    }
}
