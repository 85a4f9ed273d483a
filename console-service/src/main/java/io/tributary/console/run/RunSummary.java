package io.tributary.console.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run looks like, derived from the set of its events alone: the same events in any order,
 * any number of times, give the same summary. That is what keeps the read model right when a late
 * {@code sync.requested} arrives after its ending, or a record is delivered twice.
 */
public record RunSummary(
        String correlationId,
        Instant startedAt,
        Instant updatedAt,
        RunStatus status,
        String triggerKind,
        String triggerId,
        List<String> connections,
        List<String> transforms,
        List<Step> steps,
        String failure,
        int eventCount) {

    private static final String PREFIX = "io.tributary.";

    /** The summary of a run's events (at least one). */
    public static RunSummary of(String correlationId, List<StoredEvent> events) {
        List<StoredEvent> sorted = new ArrayList<>(events);
        // A total order that does not depend on arrival: time, then id.
        sorted.sort(Comparator.comparing(StoredEvent::time).thenComparing(StoredEvent::eventId));
        Map<String, StoredEvent> requests = new LinkedHashMap<>();
        Map<String, StoredEvent> jobStarts = new LinkedHashMap<>();
        Map<String, StoredEvent> jobEnds = new LinkedHashMap<>();
        List<StoredEvent> refusals = new ArrayList<>();
        Map<String, StoredEvent> dbtStarts = new LinkedHashMap<>();
        Map<String, StoredEvent> dbtEnds = new LinkedHashMap<>();
        List<StoredEvent> notifications = new ArrayList<>();
        Set<String> connections = new LinkedHashSet<>();
        Set<String> transforms = new LinkedHashSet<>();
        for (StoredEvent e : sorted) {
            String type = e.type().startsWith(PREFIX) ? e.type().substring(PREFIX.length()) : "";
            if (e.text("connectionId") != null) {
                connections.add(e.text("connectionId"));
            }
            if (e.text("transformName") != null) {
                transforms.add(e.text("transformName"));
            }
            switch (type) {
                case "sync.requested" -> requests.putIfAbsent(e.text("requestId"), e);
                case "sync.started" -> jobStarts.putIfAbsent(e.text("jobId"), e);
                case "sync.succeeded", "sync.failed", "sync.cancelled" -> {
                    if (e.text("jobId") == null) {
                        refusals.add(e);
                    } else {
                        jobEnds.putIfAbsent(e.text("jobId"), e);
                    }
                }
                case "transform.started" -> dbtStarts.putIfAbsent(e.text("runId"), e);
                case "transform.succeeded", "transform.failed", "transform.skipped" ->
                        dbtEnds.putIfAbsent(e.text("runId"), e);
                case "notification.delivered", "notification.failed" -> notifications.add(e);
                default -> {
                    // a type this version does not know: kept as a raw event only
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        StoredEvent first = requests.values().stream().findFirst().orElse(null);
        JsonNode trigger = first == null ? null : first.data().path("trigger");
        String triggerKind = trigger == null ? null : text(trigger, "kind");
        String triggerId = trigger == null ? null : text(trigger, "id");
        if (first != null) {
            String label = triggerKind + (triggerId == null ? "" : " " + triggerId);
            Instant at = first.instant("requestedAt");
            steps.add(
                    new Step(
                            "trigger", label, "done", at, at, text(trigger, "detail"), null, null));
        }
        syncSteps(requests, jobStarts, jobEnds, refusals, steps);
        Set<String> retried = retried(dbtStarts, dbtEnds);
        dbtSteps(dbtStarts, dbtEnds, steps);
        notifySteps(notifications, steps);
        Instant startedAt = sorted.get(0).time();
        Instant updatedAt = sorted.stream().map(StoredEvent::time).max(Instant::compareTo).get();
        return new RunSummary(
                correlationId,
                startedAt,
                updatedAt,
                status(steps, retried),
                triggerKind,
                triggerId,
                List.copyOf(connections),
                List.copyOf(transforms),
                List.copyOf(steps),
                failure(steps, retried),
                (int) sorted.stream().map(StoredEvent::eventId).distinct().count());
    }

    private static void syncSteps(
            Map<String, StoredEvent> requests,
            Map<String, StoredEvent> jobStarts,
            Map<String, StoredEvent> jobEnds,
            List<StoredEvent> refusals,
            List<Step> steps) {
        Set<String> served = new HashSet<>();
        Set<String> jobIds = new LinkedHashSet<>(jobStarts.keySet());
        jobIds.addAll(jobEnds.keySet());
        for (String jobId : jobIds) {
            StoredEvent start = jobStarts.get(jobId);
            StoredEvent end = jobEnds.get(jobId);
            StoredEvent any = end != null ? end : start;
            served.addAll(texts(any.data().path("requestIds")));
            if (start != null) {
                served.addAll(texts(start.data().path("requestIds")));
            }
            Instant began = any.instant("startedAt");
            String label = "sync " + shortId(any.text("connectionId")) + " · job " + jobId;
            if (end == null) {
                steps.add(
                        new Step(
                                "sync",
                                label,
                                "running",
                                began,
                                null,
                                attached(start),
                                jobId,
                                any.text("connectionId")));
                continue;
            }
            String status = end.shortType().substring("sync.".length());
            String detail =
                    status.equals("succeeded")
                            ? rows(end)
                            : join(end.text("reason"), end.text("message"));
            steps.add(
                    new Step(
                            "sync",
                            label,
                            status,
                            began,
                            end.instant("finishedAt"),
                            detail,
                            jobId,
                            any.text("connectionId")));
        }
        for (StoredEvent r : refusals) {
            served.addAll(texts(r.data().path("requestIds")));
            Instant at = r.instant("finishedAt");
            steps.add(
                    new Step(
                            "sync",
                            "sync " + shortId(r.text("connectionId")) + " · refused",
                            r.shortType().substring("sync.".length()),
                            at,
                            at,
                            join(r.text("reason"), r.text("message")),
                            null,
                            r.text("connectionId")));
        }
        for (StoredEvent r : requests.values()) {
            if (!served.contains(r.text("requestId"))) {
                steps.add(
                        new Step(
                                "sync",
                                "sync " + shortId(r.text("connectionId")) + " · requested",
                                "waiting",
                                r.instant("requestedAt"),
                                null,
                                r.text("jobType"),
                                null,
                                r.text("connectionId")));
            }
        }
    }

    private static void dbtSteps(
            Map<String, StoredEvent> starts, Map<String, StoredEvent> ends, List<Step> steps) {
        Set<String> runIds = new LinkedHashSet<>(starts.keySet());
        runIds.addAll(ends.keySet());
        for (String runId : runIds) {
            StoredEvent start = starts.get(runId);
            StoredEvent end = ends.get(runId);
            StoredEvent any = end != null ? end : start;
            String label =
                    "dbt "
                            + any.text("transformName")
                            + (any.text("retryOf") == null ? "" : " · retry");
            Instant began = any.instant("startedAt");
            if (end == null) {
                steps.add(
                        new Step(
                                "dbt",
                                label,
                                "running",
                                began,
                                null,
                                any.text("command"),
                                runId,
                                null));
                continue;
            }
            String status = end.shortType().substring("transform.".length());
            steps.add(
                    new Step(
                            "dbt",
                            label,
                            status,
                            began,
                            end.instant("finishedAt"),
                            switch (status) {
                                case "failed" -> dbtFailure(end);
                                case "skipped" -> end.text("message");
                                default -> dbtSummary(end);
                            },
                            runId,
                            null));
        }
    }

    private static void notifySteps(List<StoredEvent> notifications, List<Step> steps) {
        if (notifications.isEmpty()) {
            return;
        }
        Map<String, StoredEvent> byDelivery = new LinkedHashMap<>();
        for (StoredEvent n : notifications) {
            String key = n.text("deliveryId") != null ? n.text("deliveryId") : n.eventId();
            byDelivery.putIfAbsent(key, n);
        }
        long failed =
                byDelivery.values().stream().filter(n -> n.type().endsWith(".failed")).count();
        long delivered = byDelivery.size() - failed;
        Instant first =
                byDelivery.values().stream().map(StoredEvent::time).min(Instant::compareTo).get();
        Instant last =
                byDelivery.values().stream().map(StoredEvent::time).max(Instant::compareTo).get();
        Set<String> channels = new LinkedHashSet<>();
        byDelivery.values().forEach(n -> channels.add(n.text("channel")));
        steps.add(
                new Step(
                        "notify",
                        "notify " + String.join(", ", channels),
                        failed > 0 ? "failed" : "succeeded",
                        first,
                        last,
                        delivered + " delivered" + (failed > 0 ? ", " + failed + " failed" : ""),
                        null,
                        null));
    }

    /**
     * The dbt runs that a later run of this run retries ({@code retryOf}): their failure is the
     * retry's to settle.
     */
    private static Set<String> retried(
            Map<String, StoredEvent> starts, Map<String, StoredEvent> ends) {
        Set<String> retried = new HashSet<>();
        for (Map<String, StoredEvent> events : List.of(starts, ends)) {
            events.values().stream()
                    .map(e -> e.text("retryOf"))
                    .filter(r -> r != null)
                    .forEach(retried::add);
        }
        return retried;
    }

    /**
     * Failed when any sync or dbt step failed (a dbt run that was retried counts as its retry
     * does); running while one waits; else how it ended.
     */
    private static RunStatus status(List<Step> steps, Set<String> retried) {
        boolean open = false;
        boolean cancelled = false;
        for (Step s : steps) {
            if (s.kind().equals("notify") || superseded(s, retried)) {
                // a failed notification is shown, but the pipeline itself did its work
                continue;
            }
            if (s.status().equals("failed")) {
                return RunStatus.FAILED;
            }
            open |= s.isOpen();
            cancelled |= s.status().equals("cancelled");
        }
        if (open) {
            return RunStatus.RUNNING;
        }
        return cancelled ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
    }

    private static boolean superseded(Step s, Set<String> retried) {
        return s.kind().equals("dbt") && s.ref() != null && retried.contains(s.ref());
    }

    private static String failure(List<Step> steps, Set<String> retried) {
        for (Step s : steps) {
            if (superseded(s, retried)) {
                continue;
            }
            if (s.status().equals("failed") || s.status().equals("cancelled")) {
                String line = s.label() + ": " + (s.detail() == null ? s.status() : s.detail());
                return line.length() > 1000 ? line.substring(0, 999) + "…" : line;
            }
        }
        return null;
    }

    private static String dbtSummary(StoredEvent e) {
        JsonNode s = e.data().path("summary");
        if (s.isMissingNode()) {
            return e.text("command");
        }
        return s.path("success").asInt()
                + " ok, "
                + s.path("pass").asInt()
                + " tests passed"
                + (s.path("warn").asInt() > 0 ? ", " + s.path("warn").asInt() + " warned" : "");
    }

    private static String dbtFailure(StoredEvent e) {
        List<String> failing = new ArrayList<>();
        for (JsonNode f : e.data().path("failures")) {
            String id = text(f, "uniqueId");
            failing.add(nodeName(id));
        }
        if (failing.isEmpty()) {
            return e.text("message");
        }
        return failing.size() + " failing: " + String.join(", ", failing);
    }

    /** {@code not_null_orders_id} of {@code test.shop.not_null_orders_id.af79d5e4b5}. */
    static String nodeName(String uniqueId) {
        if (uniqueId == null) {
            return "?";
        }
        String[] parts = uniqueId.split("\\.");
        return parts.length >= 3 ? parts[2] : parts[parts.length - 1];
    }

    private static String rows(StoredEvent e) {
        String rows = e.text("rowsSynced");
        return rows == null ? null : rows + " rows";
    }

    private static String attached(StoredEvent start) {
        return start != null && start.data().path("attached").asBoolean(false)
                ? "attached to a running job"
                : null;
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + ": " + b;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String text(JsonNode node, String field) {
        JsonNode n = node == null ? null : node.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The first block of a UUID, enough to tell connections apart on a line. */
    static String shortId(String id) {
        if (id == null) {
            return "?";
        }
        int dash = id.indexOf('-');
        return dash > 0 ? id.substring(0, dash) : id;
    }
}
