package io.tributary.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.console.run.RunSummary;
import io.tributary.console.run.StoredEvent;
import io.tributary.console.web.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a run's page shows, prepared so the template only loops and prints. */
public record RunPage(
        RunSummary run,
        Timeline timeline,
        List<NodeResult> failingNodes,
        List<RawEvent> events,
        List<Delivery> notifications,
        String traceId,
        boolean settled) {

    /**
     * How long an ended run's page keeps following it: what a run triggers next (dbt after the
     * sync, a chained sync, a notification) arrives a moment after its current steps end.
     */
    static final Duration SETTLE = Duration.ofSeconds(30);

    /** A notification of the run: its latest outcome (a re-sent one shows its new outcome). */
    public record Delivery(
            String deliveryId,
            String channel,
            String status,
            int attempts,
            String message,
            String about) {
        public boolean failed() {
            return status.equals("failed");
        }
    }

    /** A dbt node that failed or errored, with dbt's message. */
    public record NodeResult(String transform, String node, String status, String message) {}

    /** One CloudEvent as received: attributes (headers) and data, pretty-printed. */
    public record RawEvent(
            String id, String type, String time, String position, String headers, String data) {}

    static RunPage of(RunSummary run, List<StoredEvent> events, Instant now) {
        List<NodeResult> failing = new ArrayList<>();
        List<RawEvent> raw = new ArrayList<>();
        String trace = null;
        java.util.Map<String, Delivery> deliveries = new java.util.LinkedHashMap<>();
        for (StoredEvent e : events) {
            if (e.type().startsWith("io.tributary.notification.") && e.text("deliveryId") != null) {
                // events come in time order: the last one of a delivery is its current outcome
                deliveries.put(
                        e.text("deliveryId"),
                        new Delivery(
                                e.text("deliveryId"),
                                e.text("channel"),
                                e.shortType().substring("notification.".length()),
                                e.data().path("attempts").asInt(),
                                e.text("message"),
                                e.text("eventType")));
            }
            if (e.type().equals("io.tributary.transform.failed")) {
                for (JsonNode f : e.data().path("failures")) {
                    failing.add(
                            new NodeResult(
                                    e.text("transformName"),
                                    f.path("uniqueId").asText(),
                                    f.path("status").asText(),
                                    f.path("message").asText(null)));
                }
            }
            if (trace == null && e.headers().hasNonNull("traceparent")) {
                String[] parts = e.headers().get("traceparent").asText().split("-");
                trace = parts.length > 1 ? parts[1] : null;
            }
            raw.add(
                    new RawEvent(
                            e.eventId(),
                            e.shortType(),
                            e.time().toString(),
                            e.topic() + " p" + e.partition() + "@" + e.offset(),
                            e.headers().toPrettyString(),
                            e.data().toPrettyString()));
        }
        return new RunPage(
                run,
                Timeline.of(run.steps(), now),
                failing,
                raw,
                List.copyOf(deliveries.values()),
                trace,
                run.status().isTerminal() && run.updatedAt().isBefore(now.minus(SETTLE)));
    }
}
