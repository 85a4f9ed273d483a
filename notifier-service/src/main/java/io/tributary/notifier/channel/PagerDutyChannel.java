package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.security.UrlGuard;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PagerDuty Events API v2: a failure triggers an alert, its recovery resolves it, both with the
 * subject's {@code dedup_key} ({@code tributary:connection:<id>}, {@code
 * tributary:transform:<name>}), so repeated failures land on one open alert. Settings: {@code
 * routingKey} (secret), {@code url} (default {@value #DEFAULT_URL}; the EU endpoint is {@code
 * https://events.eu.pagerduty.com/v2/enqueue}), {@code severity} (default from the event: error),
 * {@code source} (default {@code tributary}).
 */
@ApplicationScoped
public class PagerDutyChannel implements Channel {
    public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    @Inject UrlGuard guard;
    @Inject HttpSender http;

    @Override
    public ChannelType type() {
        return ChannelType.PAGERDUTY;
    }

    @Override
    public ObjectNode validate(ObjectNode settings) throws InvalidSettingsException {
        String key = Settings.required(settings, "routingKey");
        if (key.length() > 64 || !key.matches("[A-Za-z0-9_-]+")) {
            throw new InvalidSettingsException("settings.routingKey is not an integration key");
        }
        if (Settings.text(settings, "url") == null) {
            settings.put("url", DEFAULT_URL);
        }
        Settings.url(settings, "url", guard);
        String severity = Settings.text(settings, "severity");
        if (severity != null && !SEVERITIES.contains(severity)) {
            throw new InvalidSettingsException(
                    "settings.severity must be one of critical, error, warning, info");
        }
        return settings;
    }

    @Override
    public List<String> secrets() {
        return List.of("/routingKey");
    }

    @Override
    public String destinationKey(ObjectNode settings) {
        return "pagerduty:" + Settings.text(settings, "routingKey");
    }

    @Override
    public AttemptResult send(Subscription subscription, Delivery delivery, Notice notice) {
        ObjectNode settings = subscription.settings();
        return http.post(
                Settings.text(settings, "url"),
                "application/json",
                EventJson.toBytes(payload(notice, settings)),
                Map.of());
    }

    /** A trigger for alerts and tests, a resolve for recoveries. */
    public static ObjectNode payload(Notice notice, ObjectNode settings) {
        ObjectNode event = EventJson.mapper().createObjectNode();
        event.put("routing_key", Settings.text(settings, "routingKey"));
        boolean test = Delivery.TEST.equals(notice.kind());
        String dedupKey = test ? notice.dedupKey() + ":test" : notice.dedupKey();
        if (notice.isRecovery()) {
            event.put("event_action", "resolve");
            event.put("dedup_key", dedupKey);
            return event;
        }
        event.put("event_action", "trigger");
        event.put("dedup_key", dedupKey);
        ObjectNode payload = event.putObject("payload");
        String summary = notice.headline();
        if (notice.summary() != null && !notice.summary().isBlank()) {
            summary += " — " + notice.summary();
        }
        payload.put(
                "summary", summary.length() > 1024 ? summary.substring(0, 1023) + "…" : summary);
        String source = Settings.text(settings, "source");
        payload.put("source", source == null ? "tributary" : source);
        String severity = Settings.text(settings, "severity");
        payload.put("severity", test ? "info" : severity == null ? notice.severity() : severity);
        payload.put("timestamp", notice.lastAt().toString());
        payload.put("component", notice.subjectId());
        payload.put("group", notice.subjectKind());
        payload.put("class", notice.eventType());
        ObjectNode details = payload.putObject("custom_details");
        for (Notice.Fact fact : notice.facts()) {
            details.put(fact.title(), fact.value());
        }
        if (!notice.details().isEmpty()) {
            details.put("Failures", String.join("\n", notice.details()));
        }
        if (!notice.links().isEmpty()) {
            var links = event.putArray("links");
            for (Notice.Link link : notice.links()) {
                links.addObject().put("href", link.url()).put("text", link.text());
            }
        }
        event.put("client", "Tributary");
        return event;
    }
}
