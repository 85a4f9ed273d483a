package io.tributary.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.support.webhooks.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared Standard Webhooks class as the notifier signs with it (service-support tests more).
 */
class StandardWebhooksTest {
    // The test vector of the Standard Webhooks reference libraries.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsLikeTheReferenceImplementation() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aReceiverVerifiesAnyOfSeveralSignaturesAndRejectsTampering() {
        String good = StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY);
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        Duration tolerance = Duration.ofMinutes(5);
        String at = Long.toString(TIMESTAMP);
        assertThat(
                        StandardWebhooks.verify(
                                        List.of(SECRET),
                                        ID,
                                        at,
                                        "v1,bogus " + good,
                                        BODY,
                                        now,
                                        tolerance)
                                .ok())
                .isTrue();
        assertThat(
                        StandardWebhooks.verify(
                                        List.of(SECRET),
                                        ID,
                                        Long.toString(TIMESTAMP + 1),
                                        good,
                                        BODY,
                                        now,
                                        tolerance)
                                .ok())
                .isFalse();
        assertThat(
                        StandardWebhooks.verify(
                                        List.of(SECRET),
                                        "msg_other",
                                        at,
                                        good,
                                        BODY,
                                        now,
                                        tolerance)
                                .ok())
                .isFalse();
    }

    @Test
    void newSecretsAreValidSigningSecretsAndDifferent() {
        String a = StandardWebhooks.newSecret();
        assertThat(a).startsWith("whsec_");
        StandardWebhooks.requireSigningSecret(a);
        assertThat(StandardWebhooks.key(a)).hasSize(32);
        assertThat(StandardWebhooks.newSecret()).isNotEqualTo(a);
        assertThatThrownBy(() -> StandardWebhooks.requireSigningSecret("nope"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhooks.requireSigningSecret("whsec_c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
