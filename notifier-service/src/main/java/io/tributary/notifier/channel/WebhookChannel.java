package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.security.UrlGuard;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Subscription;
import io.tributary.support.Traces;
import io.tributary.support.webhooks.StandardWebhooks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event subscription for other systems: each matching event POSTed as a CloudEvent in the
 * structured JSON format ({@code application/cloudevents+json}), signed with Standard Webhooks
 * headers. {@code webhook-id} is the delivery id, the same on every retry, so receivers dedupe on
 * it. Settings: {@code url}, {@code secret} ({@code whsec_…}, generated when absent; secret).
 */
@ApplicationScoped
public class WebhookChannel implements Channel {
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    @Inject UrlGuard guard;
    @Inject HttpSender http;

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    @Override
    public ObjectNode validate(ObjectNode settings) throws InvalidSettingsException {
        Settings.url(settings, "url", guard);
        String secret = Settings.text(settings, "secret");
        if (secret == null || secret.isBlank()) {
            settings.put("secret", StandardWebhooks.newSecret());
        } else {
            try {
                StandardWebhooks.requireSigningSecret(secret.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException(
                        "settings.secret: " + e.getMessage().replace(secret, ""));
            }
            settings.put("secret", secret.trim());
        }
        return settings;
    }

    @Override
    public List<String> secrets() {
        return List.of("/secret");
    }

    @Override
    public String destinationKey(ObjectNode settings) {
        return "webhook:" + Settings.text(settings, "url");
    }

    @Override
    public AttemptResult send(Subscription subscription, Delivery delivery, Notice notice) {
        JsonNode events = EventJson.tree(delivery.events());
        byte[] body = EventJson.toBytes(events.get(0));
        long timestamp = Instant.now().getEpochSecond();
        String secret = Settings.text(subscription.settings(), "secret");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(StandardWebhooks.ID, delivery.id());
        headers.put(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
        headers.put(
                StandardWebhooks.SIGNATURE,
                StandardWebhooks.sign(secret, delivery.id(), timestamp, body));
        // The receiver continues the pipeline's trace (W3C Trace Context).
        String traceparent = Traces.currentOr(delivery.traceparent());
        if (traceparent != null) {
            headers.put(Traces.TRACEPARENT, traceparent);
        }
        return http.post(
                Settings.text(subscription.settings(), "url"), CONTENT_TYPE, body, headers);
    }
}
