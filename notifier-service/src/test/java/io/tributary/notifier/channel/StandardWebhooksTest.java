package io.tributary.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
    void verifiesAnyOfSeveralSignaturesAndRejectsTampering() {
        String good = StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY);
        assertThat(StandardWebhooks.verify(SECRET, ID, TIMESTAMP, BODY, "v1,bogus " + good))
                .isTrue();
        assertThat(StandardWebhooks.verify(SECRET, ID, TIMESTAMP + 1, BODY, good)).isFalse();
        assertThat(StandardWebhooks.verify(SECRET, "msg_other", TIMESTAMP, BODY, good)).isFalse();
    }

    @Test
    void newSecretsAreValidAndDifferent() {
        String a = StandardWebhooks.newSecret();
        assertThat(a).startsWith("whsec_");
        assertThat(StandardWebhooks.key(a)).hasSize(32);
        assertThat(StandardWebhooks.newSecret()).isNotEqualTo(a);
        assertThatThrownBy(() -> StandardWebhooks.key("nope"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
