package io.tributary.notifier.delivery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.delivery.EventFacts.Outcome;
import io.tributary.notifier.messaging.NotificationEventPublisher;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Subscription;
import io.tributary.notifier.subscription.SubscriptionRepository;
import io.tributary.support.Traces;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a pipeline event into deliveries, inside the consumer's transaction (so a re-delivered
 * record, already in processed_event, plans nothing twice). A subscription hears an event when its
 * CEL filter (if any) holds for the event; then:
 *
 * <ul>
 *   <li>generic webhooks get one delivery per matching event, as it is;
 *   <li>people's channels are grouped Alertmanager-style: the first event about a subject opens a
 *       delivery sent when the window ends, later events about it within the window fold into it; a
 *       failure that repeats an unchanged state within the repeat interval is suppressed; the first
 *       success after a failure becomes one "recovered" delivery.
 * </ul>
 */
@ApplicationScoped
public class DeliveryPlanner {
    private static final Logger LOG = Logger.getLogger(DeliveryPlanner.class);

    /** Folded events kept per delivery; the count goes on. */
    static final int MAX_EVENTS = 20;

    @Inject SubscriptionRepository subscriptions;
    @Inject DeliveryRepository deliveries;
    @Inject SubjectStateRepository states;
    @Inject NotifierConfig config;
    @Inject NotifierMetrics metrics;

    /** Plans the deliveries of one event; returns how many were created or folded into. */
    public int plan(EventFacts facts) {
        Instant now = Instant.now();
        int planned = 0;
        Map<String, Object> variables = null;
        for (Subscription subscription : subscriptions.enabled()) {
            if (subscription.filter() != null) {
                variables = variables == null ? facts.variables() : variables;
                if (!passes(subscription, variables)) {
                    continue;
                }
            }
            if (subscription.channel().forPeople()) {
                planned += planForPeople(subscription, facts, now) ? 1 : 0;
            } else if (subscription.matchesType(facts.type())) {
                planned += create(subscription, facts, Delivery.EVENT, now, null, now) ? 1 : 0;
            }
        }
        return planned;
    }

    private boolean planForPeople(Subscription subscription, EventFacts facts, Instant now) {
        String subject = facts.subject();
        boolean matches = subscription.matchesType(facts.type());
        if (facts.outcome() == Outcome.SUCCESS) {
            boolean failing =
                    states.findState(subscription.id(), subject)
                            .map(SubjectState::failing)
                            .orElse(false);
            if (failing) {
                return recover(subscription, facts, now);
            }
        }
        if (!matches) {
            return false;
        }
        if (subscription.channel() == ChannelType.PAGERDUTY && facts.outcome() != Outcome.FAILURE) {
            return false; // PagerDuty hears triggers and resolves only
        }
        String kind = facts.outcome() == Outcome.FAILURE ? Delivery.ALERT : Delivery.INFO;
        SubjectState state = states.lock(subscription.id(), subject);
        Optional<Delivery> open = deliveries.lockOpenGroup(subscription.id(), subject, kind, now);
        if (open.isPresent()) {
            fold(open.get(), facts);
            if (facts.outcome() != Outcome.OTHER) {
                states.save(
                        subscription.id(),
                        subject,
                        new SubjectState(
                                facts.outcome() == Outcome.FAILURE,
                                facts.fingerprint(),
                                state.lastNotifiedAt()));
            }
            metrics.grouped(subscription.channel());
            return true;
        }
        if (facts.outcome() != Outcome.OTHER
                && state.failing() == (facts.outcome() == Outcome.FAILURE)
                && Objects.equals(state.fingerprint(), facts.fingerprint())
                && state.lastNotifiedAt() != null
                && state.lastNotifiedAt().plus(config.repeatInterval()).isAfter(now)) {
            LOG.debugf(
                    "%s: %s about %s repeats an unchanged state, suppressed",
                    subscription, facts.type(), subject);
            metrics.suppressed(subscription.channel());
            return false;
        }
        Instant windowUntil = now.plus(config.groupWindow());
        boolean created = create(subscription, facts, kind, now, windowUntil, windowUntil);
        if (facts.outcome() != Outcome.OTHER) {
            states.save(
                    subscription.id(),
                    subject,
                    new SubjectState(facts.outcome() == Outcome.FAILURE, facts.fingerprint(), now));
        }
        return created;
    }

    private boolean recover(Subscription subscription, EventFacts facts, Instant now) {
        String subject = facts.subject();
        states.lock(subscription.id(), subject);
        states.save(subscription.id(), subject, new SubjectState(false, facts.fingerprint(), now));
        if (!subscription.notifyOnRecovery()) {
            return false;
        }
        // After the subject's pending alert, so people read "failed" before "recovered".
        Instant sendAfter =
                deliveries
                        .pendingUntil(subscription.id(), subject, Delivery.ALERT)
                        .map(t -> t.plusMillis(1))
                        .filter(t -> t.isAfter(now))
                        .orElse(now);
        return create(subscription, facts, Delivery.RECOVERY, now, null, sendAfter);
    }

    /**
     * A test delivery for a subscription: a made-up sync failure (marked with the CloudEvents
     * extension {@code tributarytest: true}), sent at once, whatever the filters and grouping say.
     */
    public Delivery planTest(Subscription subscription) {
        Instant now = Instant.now();
        String eventId = "test-" + EventIds.random();
        String connection = "00000000-0000-0000-0000-000000000000";
        ObjectNode ce = EventJson.mapper().createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", eventId);
        ce.put("source", NotificationEventPublisher.SOURCE);
        ce.put("type", EventType.SYNC_FAILED.type());
        ce.put("subject", connection);
        ce.put("time", now.toString());
        ce.put("datacontenttype", "application/json");
        ce.put("dataschema", EventType.SYNC_FAILED.dataSchema().toString());
        ce.put("tributarytest", true);
        ObjectNode data = ce.putObject("data");
        data.put("connectionId", connection);
        data.put("jobId", 0);
        data.put("jobType", "sync");
        data.putArray("requestIds");
        data.put("attached", false);
        data.put("startedAt", now.minusSeconds(42).toString());
        data.put("correlationId", eventId);
        data.put("status", "failed");
        data.put("finishedAt", now.toString());
        data.put("duration", "PT42S");
        data.put("reason", "airbyte_failed");
        data.put("message", "This is a test notification; no sync failed.");
        ArrayNode events = EventJson.mapper().createArrayNode().add(ce);
        Delivery delivery =
                new Delivery(
                        EventIds.derive("delivery", subscription.id(), eventId),
                        subscription.id(),
                        eventId,
                        EventType.SYNC_FAILED.type(),
                        "connection:" + connection,
                        Delivery.TEST,
                        Delivery.PENDING,
                        EventJson.toJson(events),
                        1,
                        0,
                        null,
                        now,
                        now,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Traces.current(),
                        eventId,
                        0,
                        null);
        deliveries.insert(delivery);
        return delivery;
    }

    private boolean create(
            Subscription subscription,
            EventFacts facts,
            String kind,
            Instant now,
            Instant windowUntil,
            Instant sendAfter) {
        ArrayNode events = EventJson.mapper().createArrayNode();
        events.add(facts.cloudEvent());
        Delivery delivery =
                new Delivery(
                        EventIds.derive("delivery", subscription.id(), facts.id()),
                        subscription.id(),
                        facts.id(),
                        facts.type(),
                        facts.subject(),
                        kind,
                        Delivery.PENDING,
                        EventJson.toJson(events),
                        1,
                        0,
                        windowUntil,
                        sendAfter,
                        now,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Traces.current(),
                        facts.correlationId(),
                        0,
                        null);
        boolean created = deliveries.insert(delivery);
        if (created) {
            LOG.debugf(
                    "%s: %s delivery %s about %s",
                    subscription, kind, delivery.id(), facts.subject());
        }
        return created;
    }

    private void fold(Delivery open, EventFacts facts) {
        ArrayNode events = (ArrayNode) EventJson.tree(open.events());
        if (events.size() < MAX_EVENTS) {
            events.add(facts.cloudEvent());
        } else {
            events.set(MAX_EVENTS - 1, facts.cloudEvent());
        }
        deliveries.fold(open.id(), EventJson.toJson(events), open.eventCount() + 1, facts.type());
    }

    /**
     * True when the subscription's filter holds for the event's {@link EventFacts#variables()}; a
     * filter that cannot be decided for it (a field the event lacks) lets it through nowhere.
     */
    static boolean passes(Subscription subscription, Map<String, Object> variables) {
        if (subscription.filter() == null) {
            return true;
        }
        Condition.Outcome outcome =
                Conditions.EVENTS.compile(subscription.filter()).evaluate(variables);
        if (outcome.error() != null) {
            LOG.debugf(
                    "%s: filter not decided for event %s: %s",
                    subscription, variables.get("id"), outcome.error());
        }
        return outcome.matched();
    }
}
