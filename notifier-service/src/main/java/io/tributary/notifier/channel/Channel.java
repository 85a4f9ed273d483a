package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Subscription;
import java.util.List;

/** One way of telling people or systems: Slack, Teams, email, PagerDuty, signed webhook. */
public interface Channel {

    ChannelType type();

    /**
     * Checks settings before they are saved (required fields, SSRF guard on every destination) and
     * returns them normalized (defaults filled in, a webhook secret generated).
     */
    ObjectNode validate(ObjectNode settings) throws InvalidSettingsException;

    /** JSON pointers of the secret settings, e.g. {@code /url} or {@code /smtp/password}. */
    List<String> secrets();

    /** The destination for the per-destination rate limit (never logged). */
    String destinationKey(ObjectNode settings);

    /** One attempt. Never throws for a receiver's fault: that is a result. */
    AttemptResult send(Subscription subscription, Delivery delivery, Notice notice);
}
