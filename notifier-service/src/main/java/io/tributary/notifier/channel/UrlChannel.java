package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.security.UrlGuard;
import io.tributary.notifier.subscription.Subscription;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * A channel whose only setting is a secret webhook URL that receives a JSON message (Slack, Teams):
 * the URL is the credential, so it is masked and never logged.
 */
abstract class UrlChannel implements Channel {
    @Inject UrlGuard guard;
    @Inject HttpSender http;

    /** The JSON message of a notice. */
    abstract ObjectNode message(Notice notice, String subscriptionName);

    @Override
    public ObjectNode validate(ObjectNode settings) throws InvalidSettingsException {
        Settings.url(settings, "url", guard);
        return settings;
    }

    @Override
    public List<String> secrets() {
        return List.of("/url");
    }

    @Override
    public String destinationKey(ObjectNode settings) {
        return type().wire() + ":" + Settings.text(settings, "url");
    }

    @Override
    public AttemptResult send(Subscription subscription, Delivery delivery, Notice notice) {
        return http.post(
                Settings.text(subscription.settings(), "url"),
                "application/json",
                EventJson.toBytes(message(notice, subscription.name())),
                Map.of());
    }
}
