package io.tributary.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.JobType;
import io.tributary.trigger.definition.HookDefinition;
import io.tributary.trigger.definition.SignatureScheme;
import io.tributary.trigger.webhook.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each scheme: valid, tampered body, old timestamp, wrong secret, rotated secret. */
class SignatureVerifierTest {
    static final String CONN = "7a7a7a7a-0000-4000-8000-0000000000aa";
    static final SignatureVerifier VERIFIER = new SignatureVerifier(Duration.ofMinutes(5));
    static final String BODY = "{\"type\":\"invoice.paid\",\"id\":\"evt_1\"}";

    static HookDefinition hook(SignatureScheme scheme, List<String> secrets) {
        return hook(scheme, secrets, null);
    }

    static HookDefinition hook(SignatureScheme scheme, List<String> secrets, String tsHeader) {
        return new HookDefinition(
                        "h",
                        scheme,
                        secrets,
                        scheme == SignatureScheme.HMAC_SHA256 ? "X-Sig" : null,
                        tsHeader,
                        null,
                        List.of(CONN),
                        JobType.SYNC,
                        null,
                        true)
                .validated();
    }

    static Function<String, String> headers(Map<String, String> values) {
        Map<String, String> ci = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ci.putAll(values);
        return ci::get;
    }

    static SignatureVerifier.Result verify(HookDefinition h, Map<String, String> hs, String body) {
        return VERIFIER.verify(
                h, headers(hs), body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    // ------------------------------------------------------------ Standard Webhooks

    static Map<String, String> standard(String secret, long ts, String body) {
        return Map.of(
                "webhook-id", "msg_1",
                "webhook-timestamp", Long.toString(ts),
                "webhook-signature", Signing.standard(secret, "msg_1", ts, body));
    }

    @Test
    void standardWebhooks() {
        String secret = Signing.whsec("current");
        HookDefinition h = hook(SignatureScheme.STANDARD_WEBHOOKS, List.of(secret));
        long now = Signing.now();

        SignatureVerifier.Result ok = verify(h, standard(secret, now, BODY), BODY);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.deliveryId()).isEqualTo("msg_1");

        assertThat(verify(h, standard(secret, now, BODY), BODY + " ").failure().reason())
                .isEqualTo("bad_signature");
        assertThat(verify(h, standard(secret, now - 301, BODY), BODY).failure().reason())
                .isEqualTo("stale_timestamp");
        assertThat(verify(h, standard(secret, now + 301, BODY), BODY).failure().reason())
                .isEqualTo("stale_timestamp");
        assertThat(verify(h, standard(Signing.whsec("other"), now, BODY), BODY).failure().reason())
                .isEqualTo("bad_signature");
        assertThat(verify(h, Map.of("webhook-id", "msg_1"), BODY).failure().reason())
                .isEqualTo("missing_signature");
    }

    @Test
    void standardWebhooksRotation() {
        String oldSecret = Signing.whsec("old");
        String newSecret = Signing.whsec("new");
        long now = Signing.now();
        // Sender rotating: signs with both keys, the receiver knows only the new one.
        String both =
                Signing.standard(oldSecret, "msg_1", now, BODY)
                        + " "
                        + Signing.standard(newSecret, "msg_1", now, BODY);
        Map<String, String> hs =
                Map.of(
                        "webhook-id",
                        "msg_1",
                        "webhook-timestamp",
                        Long.toString(now),
                        "webhook-signature",
                        both);
        assertThat(
                        verify(
                                        hook(SignatureScheme.STANDARD_WEBHOOKS, List.of(newSecret)),
                                        hs,
                                        BODY)
                                .ok())
                .isTrue();
        // Receiver rotating: knows both, sender still signs with the old one.
        assertThat(
                        verify(
                                        hook(
                                                SignatureScheme.STANDARD_WEBHOOKS,
                                                List.of(newSecret, oldSecret)),
                                        standard(oldSecret, now, BODY),
                                        BODY)
                                .ok())
                .isTrue();
    }

    // ------------------------------------------------------------ GitHub

    @Test
    void githubPublishedTestVector() {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody".
        String secret = "It's a Secret to Everybody";
        assertThat(Signing.github(secret, "Hello, World!"))
                .isEqualTo(
                        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        HookDefinition h =
                new HookDefinition(
                        "h",
                        SignatureScheme.GITHUB,
                        List.of(secret),
                        null,
                        null,
                        null,
                        List.of(CONN),
                        null,
                        null,
                        null);
        assertThat(
                        verify(
                                        h,
                                        Map.of(
                                                "X-Hub-Signature-256",
                                                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                                                "X-GitHub-Delivery",
                                                "d-1"),
                                        "Hello, World!")
                                .deliveryId())
                .isEqualTo("d-1");
    }

    @Test
    void github() {
        String secret = "github-secret-0123456789abcdef";
        HookDefinition h = hook(SignatureScheme.GITHUB, List.of(secret));
        Map<String, String> valid =
                Map.of(
                        "X-Hub-Signature-256",
                        Signing.github(secret, BODY),
                        "X-GitHub-Delivery",
                        "g1");
        assertThat(verify(h, valid, BODY).ok()).isTrue();
        assertThat(verify(h, valid, BODY.replace("paid", "void")).failure().reason())
                .isEqualTo("bad_signature");
        assertThat(
                        verify(
                                        h,
                                        Map.of(
                                                "X-Hub-Signature-256",
                                                Signing.github(
                                                        "wrong-secret-0123456789abcdef", BODY)),
                                        BODY)
                                .failure()
                                .reason())
                .isEqualTo("bad_signature");
        assertThat(verify(h, Map.of(), BODY).failure().reason()).isEqualTo("missing_signature");
        // GitHub signs no timestamp: no replay window (an old delivery is caught by its delivery
        // id, WebhookTest).
        assertThat(
                        VERIFIER.verify(
                                        h,
                                        headers(valid),
                                        BODY.getBytes(StandardCharsets.UTF_8),
                                        Instant.now().plus(Duration.ofDays(1)))
                                .ok())
                .isTrue();
        String next = "github-secret-NEXT-0123456789ab";
        HookDefinition rotating = hook(SignatureScheme.GITHUB, List.of(next, secret));
        assertThat(verify(rotating, valid, BODY).ok()).isTrue();
        assertThat(
                        verify(
                                        rotating,
                                        Map.of("X-Hub-Signature-256", Signing.github(next, BODY)),
                                        BODY)
                                .ok())
                .isTrue();
    }

    // ------------------------------------------------------------ Stripe

    @Test
    void stripe() {
        String secret = "whsec_stripe0123456789abcdefghijkl";
        HookDefinition h = hook(SignatureScheme.STRIPE, List.of(secret));
        long now = Signing.now();
        Map<String, String> valid =
                Map.of(
                        "Stripe-Signature",
                        "t=" + now + ",v1=" + Signing.stripeV1(secret, now, BODY));
        assertThat(verify(h, valid, BODY).ok()).isTrue();
        assertThat(verify(h, valid, BODY + "\n").failure().reason()).isEqualTo("bad_signature");
        long old = now - 600;
        assertThat(
                        verify(
                                        h,
                                        Map.of(
                                                "Stripe-Signature",
                                                "t="
                                                        + old
                                                        + ",v1="
                                                        + Signing.stripeV1(secret, old, BODY)),
                                        BODY)
                                .failure()
                                .reason())
                .isEqualTo("stale_timestamp");
        String other = "whsec_other0123456789abcdefghijklm";
        assertThat(
                        verify(
                                        h,
                                        Map.of(
                                                "Stripe-Signature",
                                                "t="
                                                        + now
                                                        + ",v1="
                                                        + Signing.stripeV1(other, now, BODY)),
                                        BODY)
                                .failure()
                                .reason())
                .isEqualTo("bad_signature");
        // Rotation: Stripe sends one v1 per active secret; any one matching is enough.
        String rolled =
                "t="
                        + now
                        + ",v1="
                        + Signing.stripeV1(other, now, BODY)
                        + ",v1="
                        + Signing.stripeV1(secret, now, BODY)
                        + ",v0=deadbeef";
        assertThat(verify(h, Map.of("Stripe-Signature", rolled), BODY).ok()).isTrue();
        assertThat(verify(hook(SignatureScheme.STRIPE, List.of(other, secret)), valid, BODY).ok())
                .isTrue();
    }

    // ------------------------------------------------------------ generic HMAC

    @Test
    void hmacWithTimestamp() {
        String secret = "hmac-secret-0123456789abcdefgh";
        HookDefinition h = hook(SignatureScheme.HMAC_SHA256, List.of(secret), "X-Ts");
        long now = Signing.now();
        Map<String, String> valid =
                Map.of("X-Sig", Signing.hex(secret, now + "." + BODY), "X-Ts", Long.toString(now));
        assertThat(verify(h, valid, BODY).ok()).isTrue();
        assertThat(verify(h, valid, "{}").failure().reason()).isEqualTo("bad_signature");
        long old = now - 1000;
        assertThat(
                        verify(
                                        h,
                                        Map.of(
                                                "X-Sig",
                                                Signing.hex(secret, old + "." + BODY),
                                                "X-Ts",
                                                Long.toString(old)),
                                        BODY)
                                .failure()
                                .reason())
                .isEqualTo("stale_timestamp");
        assertThat(
                        verify(
                                        h,
                                        Map.of(
                                                "X-Sig",
                                                Signing.hex(
                                                        "nope-0123456789abcdefghijklmn",
                                                        now + "." + BODY),
                                                "X-Ts",
                                                Long.toString(now)),
                                        BODY)
                                .failure()
                                .reason())
                .isEqualTo("bad_signature");
        String next = "hmac-secret-NEXT-0123456789abc";
        assertThat(
                        verify(
                                        hook(
                                                SignatureScheme.HMAC_SHA256,
                                                List.of(next, secret),
                                                "X-Ts"),
                                        valid,
                                        BODY)
                                .ok())
                .isTrue();
    }

    @Test
    void hmacBodyOnlyAcceptsSha256Prefix() {
        String secret = "hmac-secret-0123456789abcdefgh";
        HookDefinition h = hook(SignatureScheme.HMAC_SHA256, List.of(secret));
        assertThat(verify(h, Map.of("X-Sig", "sha256=" + Signing.hex(secret, BODY)), BODY).ok())
                .isTrue();
        assertThat(verify(h, Map.of("X-Sig", "not-hex"), BODY).ok()).isFalse();
        assertThat(verify(h, Map.of("X-Sig", Signing.hex(secret, BODY).toUpperCase()), BODY).ok())
                .isTrue();
    }
}
