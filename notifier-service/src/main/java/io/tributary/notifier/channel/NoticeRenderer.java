package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.subscription.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds the {@link Notice} of a delivery from the events folded into it. */
@ApplicationScoped
public class NoticeRenderer {
    static final int MAX_MESSAGE = 500;
    static final int MAX_NODES = 5;

    private final NotifierConfig.Links links;

    @Inject
    public NoticeRenderer(NotifierConfig config) {
        this.links = config.links();
    }

    public Notice render(Subscription subscription, Delivery delivery) {
        JsonNode events = EventJson.tree(delivery.events());
        JsonNode first = events.get(0);
        JsonNode last = events.get(events.size() - 1);
        Instant firstAt = time(first);
        Instant lastAt = time(last);
        String type = last.path("type").asText();
        JsonNode data = last.path("data");
        boolean recovery = Delivery.RECOVERY.equals(delivery.kind());
        boolean test = Delivery.TEST.equals(delivery.kind());
        int count = delivery.eventCount();
        List<Notice.Fact> facts = new ArrayList<>();
        List<String> details = new ArrayList<>();
        List<Notice.Link> linkList = new ArrayList<>();
        String headline;
        String summary;
        String severity;
        String subjectKind;
        String subjectId;
        if (type.startsWith("io.tributary.transform.")) {
            subjectKind = "transform";
            subjectId = data.path("transformName").asText(last.path("subject").asText());
            String command = "dbt " + data.path("command").asText("run");
            String status = type.substring("io.tributary.transform.".length());
            facts.add(new Notice.Fact("Transform", subjectId));
            facts.add(new Notice.Fact("Command", command + select(data)));
            if (data.hasNonNull("target")) {
                facts.add(new Notice.Fact("Target", data.path("target").asText()));
            }
            if (data.hasNonNull("exitCode")) {
                facts.add(new Notice.Fact("Exit code", data.path("exitCode").asText()));
            }
            if (data.hasNonNull("elapsed")) {
                facts.add(new Notice.Fact("Elapsed", human(data.path("elapsed").asText())));
            }
            if (data.has("summary")) {
                facts.add(new Notice.Fact("Results", results(data.path("summary"))));
            }
            JsonNode failures = data.path("failures");
            for (int i = 0; i < failures.size() && i < MAX_NODES; i++) {
                JsonNode node = failures.get(i);
                details.add(
                        node.path("uniqueId").asText()
                                + " ("
                                + node.path("status").asText()
                                + "): "
                                + cut(node.path("message").asText("")));
            }
            if (failures.size() > MAX_NODES) {
                details.add("… and " + (failures.size() - MAX_NODES) + " more");
            }
            if (status.equals("failed")) {
                headline = command + " failed: transform " + subjectId;
                summary =
                        failures.size() > 0
                                ? failures.size()
                                        + (failures.size() == 1
                                                ? " node failed: "
                                                : " nodes failed, first ")
                                        + failures.get(0).path("uniqueId").asText()
                                        + ": "
                                        + cut(failures.get(0).path("message").asText(""))
                                : "dbt failed: " + cut(data.path("message").asText("no message"));
                severity = "error";
            } else if (recovery) {
                headline = "Recovered: transform " + subjectId + " succeeded again";
                summary = command + " succeeded after failing";
                severity = "info";
            } else {
                headline = command + " " + status + ": transform " + subjectId;
                summary = status.equals("succeeded") ? results(data.path("summary")) : "";
                severity = "info";
            }
        } else {
            subjectKind = "connection";
            subjectId = data.path("connectionId").asText(last.path("subject").asText());
            String status = type.substring(type.lastIndexOf('.') + 1);
            facts.add(new Notice.Fact("Connection", subjectId));
            if (data.hasNonNull("jobId")) {
                facts.add(
                        new Notice.Fact(
                                "Job",
                                data.path("jobId").asText()
                                        + " ("
                                        + data.path("jobType").asText("sync")
                                        + ")"));
            }
            if (data.hasNonNull("reason")) {
                facts.add(new Notice.Fact("Reason", data.path("reason").asText()));
            }
            if (data.hasNonNull("duration")) {
                facts.add(new Notice.Fact("Duration", human(data.path("duration").asText())));
            }
            if (data.hasNonNull("rowsSynced")) {
                facts.add(
                        new Notice.Fact(
                                "Synced",
                                String.format(
                                        Locale.ROOT,
                                        "%,d rows, %s",
                                        data.path("rowsSynced").asLong(),
                                        bytes(data.path("bytesSynced").asLong()))));
            }
            if (status.equals("failed")) {
                headline = "Sync failed: connection " + subjectId;
                summary =
                        data.path("reason").asText("failed")
                                + ": "
                                + cut(data.path("message").asText("no message from Airbyte"));
                severity = "error";
            } else if (recovery) {
                headline = "Recovered: connection " + subjectId + " syncs again";
                summary = "Job " + data.path("jobId").asText("?") + " succeeded after failing";
                severity = "info";
            } else {
                headline = "Sync " + status + ": connection " + subjectId;
                summary = "";
                severity = status.equals("cancelled") ? "warning" : "info";
            }
            links.airbyteBaseUrl()
                    .map(base -> base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                    .ifPresent(
                            base -> {
                                linkList.add(
                                        new Notice.Link(
                                                "Airbyte connection",
                                                base
                                                        + links.airbyteConnectionPath()
                                                                .replace(
                                                                        "{connectionId}",
                                                                        subjectId)));
                                if (data.hasNonNull("jobId")) {
                                    linkList.add(
                                            new Notice.Link(
                                                    "Airbyte job " + data.path("jobId").asText(),
                                                    base
                                                            + links.airbyteJobPath()
                                                                    .replace(
                                                                            "{connectionId}",
                                                                            subjectId)
                                                                    .replace(
                                                                            "{jobId}",
                                                                            data.path("jobId")
                                                                                    .asText())));
                                }
                            });
        }
        if (count > 1) {
            facts.add(
                    new Notice.Fact(
                            "Occurrences",
                            count
                                    + " events between "
                                    + firstAt
                                    + " and "
                                    + lastAt
                                    + " ("
                                    + human(Duration.between(firstAt, lastAt))
                                    + ")"));
        }
        if (test) {
            headline = "Test from Tributary: subscription " + subscription.name();
            summary = "This is a test message; the sample below is made up. " + summary;
            severity = "info";
        }
        return new Notice(
                delivery.kind(),
                headline,
                summary,
                List.copyOf(facts),
                List.copyOf(details),
                List.copyOf(linkList),
                severity,
                count,
                firstAt,
                lastAt,
                subjectKind,
                subjectId,
                "tributary:" + subjectKind + ":" + subjectId,
                type);
    }

    private static String select(JsonNode data) {
        return data.hasNonNull("select") ? " --select " + data.path("select").asText() : "";
    }

    private static String results(JsonNode summary) {
        return String.format(
                Locale.ROOT,
                "%d success, %d error, %d skipped, %d pass, %d fail, %d warn",
                summary.path("success").asInt(),
                summary.path("error").asInt(),
                summary.path("skipped").asInt(),
                summary.path("pass").asInt(),
                summary.path("fail").asInt(),
                summary.path("warn").asInt());
    }

    private static Instant time(JsonNode cloudEvent) {
        try {
            return Instant.parse(cloudEvent.path("time").asText());
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    static String cut(String text) {
        String oneLine = text.replace('\r', ' ').strip();
        return oneLine.length() <= MAX_MESSAGE
                ? oneLine
                : oneLine.substring(0, MAX_MESSAGE - 1) + "…";
    }

    static String human(String iso) {
        try {
            return human(Duration.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        return (s / 3600) + "h " + ((s % 3600) / 60) + "m";
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
