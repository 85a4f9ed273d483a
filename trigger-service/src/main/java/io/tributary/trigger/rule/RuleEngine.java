package io.tributary.trigger.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.EventIds;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.RejectedRecordException;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.support.cel.Condition;
import io.tributary.support.cel.Conditions;
import io.tributary.support.inbox.ProcessedEvents;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.RuleDefinition;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies the event rules to one sync event, once per {@code ce_id}: the event is recorded as
 * processed (the inbox) and the requests it causes go to the outbox in one transaction.
 */
@ApplicationScoped
public class RuleEngine {
    @Inject ProcessedEvents processed;
    @Inject Definitions definitions;
    @Inject SyncRequestPublisher publisher;

    /**
     * @return the requests caused (empty for a repeat or when no rule matches)
     * @throws RejectedRecordException when the event lacks what rules need
     */
    public List<SyncRequested> handle(ReceivedEvent event) {
        JsonNode data = event.data();
        String connectionId = text(data, "connectionId");
        if (connectionId == null) {
            throw new RejectedRecordException(
                    event.type() + " " + event.id() + " has no connectionId");
        }
        String correlationId = text(data, "correlationId");
        Map<String, Object> variables =
                Conditions.values(
                        data,
                        event.id(),
                        event.type(),
                        event.source(),
                        event.subject(),
                        event.time() == null ? null : event.time().toString());
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            if (!processed.markProcessed(
                                    event.id(), event.type(), event.subject())) {
                                return List.<SyncRequested>of();
                            }
                            List<SyncRequested> requests = new ArrayList<>();
                            for (RuleDefinition rule : definitions.rules()) {
                                if (rule.isEnabled()
                                        && matches(rule, event, connectionId, variables)) {
                                    requests.addAll(requests(rule, event, correlationId));
                                }
                            }
                            publisher.add(requests);
                            return requests;
                        });
    }

    static boolean matches(
            RuleDefinition rule,
            ReceivedEvent event,
            String connectionId,
            Map<String, Object> variables) {
        if (!rule.eventTypes().contains(event.type())
                || !rule.sourceConnectionIds().contains(connectionId.toLowerCase(Locale.ROOT))) {
            return false;
        }
        Condition condition = rule.compiledCondition();
        return condition == null || condition.test(variables);
    }

    static List<SyncRequested> requests(
            RuleDefinition rule, ReceivedEvent event, String correlationId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JobType jobType = rule.jobType();
        List<SyncRequested> requests = new ArrayList<>();
        for (String target : rule.targetConnectionIds()) {
            String requestId =
                    EventIds.derive("rule", rule.id(), event.id(), target, jobType.wire());
            requests.add(
                    new SyncRequested(
                            requestId,
                            target,
                            jobType,
                            now,
                            new Trigger(TriggerKind.EVENT, rule.id(), event.id()),
                            correlationId != null ? correlationId : event.id()));
        }
        return requests;
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
