package io.tributary.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.events.EventType;
import io.tributary.events.ReceivedEvent;
import io.tributary.support.cel.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the notifier needs to know about one pipeline event: its subject, whether it is a failure or
 * a success, and a fingerprint of the state it reports (two events with the same fingerprint say
 * the same thing; a failure's includes its reason).
 */
public record EventFacts(
        String id,
        String type,
        SubjectKind subjectKind,
        String subjectId,
        Outcome outcome,
        String fingerprint,
        Instant time,
        ObjectNode cloudEvent) {

    /** The event's {@code correlationId} (sync and transform events carry one), or null. */
    public String correlationId() {
        JsonNode value = cloudEvent.path("data").get("correlationId");
        return value == null || !value.isTextual() || value.asText().isEmpty()
                ? null
                : value.asText();
    }

    /** The variables of a subscription's CEL filter ({@code Conditions.EVENTS}) for this event. */
    public Map<String, Object> variables() {
        return Conditions.values(
                cloudEvent.get("data"),
                id,
                type,
                cloudEvent.path("source").asText(),
                cloudEvent.hasNonNull("subject") ? cloudEvent.get("subject").asText() : null,
                cloudEvent.hasNonNull("time") ? cloudEvent.get("time").asText() : null);
    }

    public enum SubjectKind {
        CONNECTION,
        TRANSFORM,
        EXPECTATION;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Outcome {
        FAILURE,
        SUCCESS,
        OTHER
    }

    /**
     * {@code connection:<id>}, {@code transform:<name>} or {@code expectation:<id>}: the grouping
     * and state key (an expectation's alerts and recoveries pair up apart from its subject's).
     */
    public String subject() {
        return subjectKind.wire() + ":" + subjectId;
    }

    /** Facts of a sync, transform or expectation event; empty for other types. */
    public static java.util.Optional<EventFacts> of(ReceivedEvent event) {
        EventType type = event.eventType().orElse(null);
        if (type == null) {
            return java.util.Optional.empty();
        }
        JsonNode data = event.data();
        Instant time = event.time() == null ? Instant.now() : event.time();
        ObjectNode ce = structured(event);
        switch (type) {
            case SYNC_STARTED:
            case SYNC_SUCCEEDED:
            case SYNC_FAILED:
            case SYNC_CANCELLED:
                {
                    String connection = text(data, "connectionId", event.subject());
                    Outcome outcome =
                            type == EventType.SYNC_FAILED
                                    ? Outcome.FAILURE
                                    : type == EventType.SYNC_SUCCEEDED
                                            ? Outcome.SUCCESS
                                            : Outcome.OTHER;
                    String reason =
                            outcome == Outcome.FAILURE ? text(data, "reason", "unknown") : null;
                    String fingerprint =
                            outcome == Outcome.FAILURE
                                    ? type.type() + "|" + reason + "|" + text(data, "message", "")
                                    : type.type();
                    return java.util.Optional.of(
                            new EventFacts(
                                    event.id(),
                                    event.type(),
                                    SubjectKind.CONNECTION,
                                    connection,
                                    outcome,
                                    fingerprint,
                                    time,
                                    ce));
                }
            case TRANSFORM_STARTED:
            case TRANSFORM_SUCCEEDED:
            case TRANSFORM_FAILED:
            case TRANSFORM_SKIPPED:
                {
                    String name = text(data, "transformName", event.subject());
                    Outcome outcome =
                            type == EventType.TRANSFORM_FAILED
                                    ? Outcome.FAILURE
                                    : type == EventType.TRANSFORM_SUCCEEDED
                                            ? Outcome.SUCCESS
                                            : Outcome.OTHER;
                    String reason = null;
                    String fingerprint = type.type();
                    if (outcome == Outcome.FAILURE) {
                        reason = data.path("exitCode").asInt(2) == 1 ? "node_failed" : "dbt_failed";
                        List<String> nodes = new ArrayList<>();
                        for (JsonNode failure : data.path("failures")) {
                            nodes.add(
                                    failure.path("uniqueId").asText()
                                            + "="
                                            + failure.path("status").asText());
                        }
                        nodes.sort(null);
                        fingerprint =
                                type.type()
                                        + "|"
                                        + reason
                                        + "|"
                                        + String.join(",", nodes)
                                        + (nodes.isEmpty() ? "|" + text(data, "message", "") : "");
                    }
                    return java.util.Optional.of(
                            new EventFacts(
                                    event.id(),
                                    event.type(),
                                    SubjectKind.TRANSFORM,
                                    name,
                                    outcome,
                                    fingerprint,
                                    time,
                                    ce));
                }
            case EXPECTATION_MISSED:
            case EXPECTATION_RECOVERED:
                {
                    boolean missed = type == EventType.EXPECTATION_MISSED;
                    return java.util.Optional.of(
                            new EventFacts(
                                    event.id(),
                                    event.type(),
                                    SubjectKind.EXPECTATION,
                                    text(data, "expectationId", event.subject()),
                                    missed ? Outcome.FAILURE : Outcome.SUCCESS,
                                    type.type() + (missed ? "|" + text(data, "promise", "") : ""),
                                    time,
                                    ce));
                }
            default:
                return java.util.Optional.empty();
        }
    }

    /** The event in the CloudEvents structured JSON format (what the generic webhook posts). */
    private static ObjectNode structured(ReceivedEvent event) {
        ObjectNode ce = EventJson.mapper().createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", event.id());
        ce.put("source", event.source());
        ce.put("type", event.type());
        if (event.subject() != null) {
            ce.put("subject", event.subject());
        }
        if (event.time() != null) {
            ce.put("time", event.time().toString());
        }
        ce.put("datacontenttype", "application/json");
        if (event.dataSchema() != null) {
            ce.put("dataschema", event.dataSchema().toString());
        }
        if (event.traceparent() != null) {
            ce.put("traceparent", event.traceparent());
        }
        ce.set("data", event.data());
        return ce;
    }

    private static String text(JsonNode data, String field, String fallback) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}
