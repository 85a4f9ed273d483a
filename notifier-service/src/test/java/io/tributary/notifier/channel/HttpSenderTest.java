package io.tributary.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.notifier.security.Destination;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpSenderTest {

    @Test
    void statusesAreClassified() {
        assertThat(HttpSender.classify(200, null, null, "ok").kind())
                .isEqualTo(AttemptResult.Kind.DELIVERED);
        assertThat(HttpSender.classify(202, null, null, "").kind())
                .isEqualTo(AttemptResult.Kind.DELIVERED);
        AttemptResult redirect = HttpSender.classify(302, null, "http://169.254.169.254/x", "");
        assertThat(redirect.kind()).isEqualTo(AttemptResult.Kind.FINAL);
        assertThat(redirect.detail()).contains("169.254.169.254").doesNotContain("/x");
        assertThat(HttpSender.classify(400, null, null, "invalid_payload").kind())
                .isEqualTo(AttemptResult.Kind.FINAL);
        assertThat(HttpSender.classify(404, null, null, "").kind())
                .isEqualTo(AttemptResult.Kind.FINAL);
        assertThat(HttpSender.classify(408, null, null, "").kind())
                .isEqualTo(AttemptResult.Kind.RETRY);
        assertThat(HttpSender.classify(410, null, null, "").kind())
                .isEqualTo(AttemptResult.Kind.GONE);
        AttemptResult throttled = HttpSender.classify(429, "7", null, "");
        assertThat(throttled.kind()).isEqualTo(AttemptResult.Kind.RETRY);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpSender.classify(500, null, null, "").kind())
                .isEqualTo(AttemptResult.Kind.RETRY);
        assertThat(HttpSender.classify(503, null, null, "").kind())
                .isEqualTo(AttemptResult.Kind.RETRY);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(HttpSender.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(HttpSender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(HttpSender.retryAfter("soon")).isNull();
        assertThat(HttpSender.retryAfter(null)).isNull();
    }

    @Test
    void errorsNeverCarryTheSecretPath() throws Exception {
        Destination d =
                new Destination(
                        URI.create("https://hooks.slack.com/services/T1/B2/secret?token=abc"),
                        "hooks.slack.com",
                        443,
                        true,
                        List.of(InetAddress.getByName("34.1.2.3")));
        String detail =
                HttpSender.describe(
                        new RuntimeException(
                                "timeout while executing POST /services/T1/B2/secret?token=abc"),
                        d);
        assertThat(detail).doesNotContain("secret").doesNotContain("abc");
    }
}
