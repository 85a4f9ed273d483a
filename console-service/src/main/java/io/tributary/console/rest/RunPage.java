package io.tributary.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.console.run.RunSummary;
import io.tributary.console.run.Step;
import io.tributary.console.run.StoredEvent;
import io.tributary.console.web.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What a run's page shows, prepared so the template only loops and prints. */
public record RunPage(
        RunSummary run,
        Timeline timeline,
        List<NodeResult> failingNodes,
        List<RawEvent> events,
        List<Delivery> notifications,
        String traceId,
        boolean settled,
        Map<String, Streams> streams,
        Map<String, Selection> selections) {

    /** Unchanged streams named on a sync step before "and N more". */
    static final int UNCHANGED_SHOWN = 12;

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
    public record NodeResult(
            String transform, String node, String status, String message, boolean retried) {}

    /**
     * What an Airbyte job committed per stream (its ending's {@code streams[]}), for the sync step.
     *
     * @param committed {@code namespace.name: count} of the streams that committed records
     * @param unchanged the names of those that committed none (at most {@link #UNCHANGED_SHOWN})
     * @param moreUnchanged how many unchanged streams are not named
     * @param unknown the names of those whose count Airbyte did not report (or reported negative)
     */
    public record Streams(
            List<String> committed,
            List<String> unchanged,
            int moreUnchanged,
            List<String> unknown) {}

    /**
     * The selection a dbt run used and why, and its retry links, for the dbt step.
     *
     * @param select dbt's {@code --select}, null for the whole project
     * @param command dbt's command ({@code build}, {@code run}, {@code retry}…)
     * @param reason why that selection (the changed streams it was narrowed to, or a fall-back)
     * @param changedStreams the triggering syncs' streams that committed records, null when unknown
     * @param retryOf the run this one retries ({@code dbt retry}), null otherwise
     * @param retriedBy the runs of this page that retry this one
     * @param retryable failed with node errors or failures, and not retried yet
     * @param skipped due but not run: nothing it reads changed
     */
    public record Selection(
            String select,
            String command,
            String reason,
            List<String> changedStreams,
            String retryOf,
            List<String> retriedBy,
            boolean retryable,
            boolean skipped,
            String kubernetes) {

        /** The selection in words. */
        public String shown() {
            if (skipped) {
                return "none: no dbt run";
            }
            if ("retry".equals(command)) {
                return "dbt retry: the failed and skipped nodes of the run it retries";
            }
            return select == null ? "whole project" : select;
        }
    }

    /** The per-stream results of a sync step, or null when its ending did not carry them. */
    public Streams streamsOf(Step step) {
        return step.kind().equals("sync") && step.ref() != null ? streams.get(step.ref()) : null;
    }

    /** The selection of a dbt step, or null before its run said anything about it. */
    public Selection selectionOf(Step step) {
        return step.kind().equals("dbt") && step.ref() != null ? selections.get(step.ref()) : null;
    }

    /** One CloudEvent as received: attributes (headers) and data, pretty-printed. */
    public record RawEvent(
            String id, String type, String time, String position, String headers, String data) {}

    private static final String SYNC = "io.tributary.sync.";
    private static final String TRANSFORM = "io.tributary.transform.";

    static RunPage of(RunSummary run, List<StoredEvent> events, Instant now) {
        Map<String, Selection> selections = selections(events);
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
                Selection of = e.text("runId") == null ? null : selections.get(e.text("runId"));
                boolean retried = of != null && !of.retriedBy().isEmpty();
                for (JsonNode f : e.data().path("failures")) {
                    failing.add(
                            new NodeResult(
                                    e.text("transformName"),
                                    f.path("uniqueId").asText(),
                                    f.path("status").asText(),
                                    f.path("message").asText(null),
                                    retried));
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
                run.status().isTerminal() && run.updatedAt().isBefore(now.minus(SETTLE)),
                streams(events),
                selections);
    }

    /** Each sync job's per-stream results, by job id (the jobs whose ending carried them). */
    static Map<String, Streams> streams(List<StoredEvent> events) {
        Map<String, Streams> out = new HashMap<>();
        for (StoredEvent e : events) {
            JsonNode streams = e.data().path("streams");
            if (!e.type().startsWith(SYNC) || e.text("jobId") == null || !streams.isArray()) {
                continue;
            }
            List<String> committed = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (JsonNode s : streams) {
                String name = streamName(s);
                JsonNode records = s.path("recordsCommitted");
                if (!records.canConvertToLong() || records.asLong() < 0) {
                    unknown.add(name);
                } else if (records.asLong() == 0) {
                    unchanged.add(name);
                } else {
                    committed.add(
                            name + ": " + String.format(Locale.ROOT, "%,d", records.asLong()));
                }
            }
            int shown = Math.min(unchanged.size(), UNCHANGED_SHOWN);
            out.put(
                    e.text("jobId"),
                    new Streams(
                            committed,
                            List.copyOf(unchanged.subList(0, shown)),
                            unchanged.size() - shown,
                            unknown));
        }
        return out;
    }

    /** Each dbt run's selection, by run id: its ending's fields, else its start's. */
    static Map<String, Selection> selections(List<StoredEvent> events) {
        Map<String, StoredEvent> starts = new LinkedHashMap<>();
        Map<String, StoredEvent> ends = new LinkedHashMap<>();
        Map<String, List<String>> retriedBy = new HashMap<>();
        for (StoredEvent e : events) {
            String runId = e.text("runId");
            if (!e.type().startsWith(TRANSFORM) || runId == null) {
                continue;
            }
            (e.type().equals(TRANSFORM + "started") ? starts : ends).putIfAbsent(runId, e);
            String retryOf = e.text("retryOf");
            if (retryOf != null) {
                List<String> by = retriedBy.computeIfAbsent(retryOf, r -> new ArrayList<>());
                if (!by.contains(runId)) {
                    by.add(runId);
                }
            }
        }
        Map<String, Selection> out = new HashMap<>();
        Set<String> runIds = new LinkedHashSet<>(starts.keySet());
        runIds.addAll(ends.keySet());
        for (String runId : runIds) {
            StoredEvent end = ends.get(runId);
            StoredEvent start = starts.get(runId);
            List<String> by = retriedBy.getOrDefault(runId, List.of());
            boolean retryable =
                    end != null
                            && end.type().equals(TRANSFORM + "failed")
                            && !end.data().path("failures").isEmpty()
                            && by.isEmpty();
            out.put(
                    runId,
                    new Selection(
                            either(end, start, "select"),
                            either(end, start, "command"),
                            either(end, start, "selectionReason"),
                            changed(end != null && end.data().has("changedStreams") ? end : start),
                            either(end, start, "retryOf"),
                            List.copyOf(by),
                            retryable,
                            end != null && end.type().equals(TRANSFORM + "skipped"),
                            kubernetes(end)));
        }
        return out;
    }

    /** Where a run of the Kubernetes runner ran (contract 0.4.0), e.g. "Job x · pod y · ns". */
    private static String kubernetes(StoredEvent end) {
        JsonNode k = end == null ? null : end.data().get("kubernetes");
        if (k == null || !k.hasNonNull("job")) {
            return null;
        }
        return "Job "
                + k.path("job").asText()
                + (k.hasNonNull("pod") ? " · pod " + k.path("pod").asText() : "")
                + (k.hasNonNull("namespace") ? " · namespace " + k.path("namespace").asText() : "");
    }

    private static String either(StoredEvent end, StoredEvent start, String field) {
        String v = end == null ? null : end.text(field);
        return v != null || start == null ? v : start.text(field);
    }

    private static List<String> changed(StoredEvent e) {
        if (e == null || !e.data().path("changedStreams").isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        e.data().get("changedStreams").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String streamName(JsonNode s) {
        String name = s.path("name").asText("?");
        JsonNode ns = s.get("namespace");
        return ns == null || ns.isNull() || ns.asText().isEmpty() ? name : ns.asText() + "." + name;
    }
}
