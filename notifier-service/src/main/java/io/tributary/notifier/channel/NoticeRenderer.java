package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateInstance;
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

/**
 * Builds the {@link Notice} of a delivery from the events folded into it: the facts, failing nodes
 * and links come from the latest event's data; the wording (headline, summary) from the Qute
 * templates {@code templates/notice/headline.txt} and {@code summary.txt}.
 */
@ApplicationScoped
public class NoticeRenderer {
    static final int MAX_MESSAGE = 500;
    static final int MAX_NODES = 5;
    private static final String TRANSFORM = "io.tributary.transform.";
    private static final String EXPECTATION = "io.tributary.expectation.";

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
        boolean transform = type.startsWith(TRANSFORM);
        boolean expectation = type.startsWith(EXPECTATION);
        boolean recovery = Delivery.RECOVERY.equals(delivery.kind());
        boolean test = Delivery.TEST.equals(delivery.kind());
        String status = type.substring(type.lastIndexOf('.') + 1);
        String subjectKind = expectation ? "expectation" : transform ? "transform" : "connection";
        String subjectId =
                data.path(
                                expectation
                                        ? "expectationId"
                                        : transform ? "transformName" : "connectionId")
                        .asText(last.path("subject").asText());
        String command = "dbt " + data.path("command").asText("run");
        List<Notice.Fact> facts =
                expectation
                        ? expectationFacts(data)
                        : transform
                                ? transformFacts(data, subjectId, command)
                                : syncFacts(data, subjectId);
        List<String> details = transform ? failingNodes(data) : List.of();
        List<Notice.Link> linkList =
                transform || expectation ? List.of() : airbyteLinks(data, subjectId);
        int count = delivery.eventCount();
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
        JsonNode failures = data.path("failures");
        NoticeText text =
                new NoticeText(
                        subscription.name(),
                        test,
                        recovery,
                        transform,
                        expectation,
                        data.path("name").asText(subjectId),
                        status,
                        subjectId,
                        command,
                        results(data.path("summary")),
                        data.hasNonNull("reason") ? data.get("reason").asText() : null,
                        data.hasNonNull("message") ? cut(data.get("message").asText()) : null,
                        data.hasNonNull("jobId") ? data.get("jobId").asText() : null,
                        failures.size(),
                        failures.path(0).path("uniqueId").asText(),
                        cut(failures.path(0).path("message").asText("")));
        String summary = render(NoticeTemplates.summary(text));
        String severity =
                test
                        ? "info"
                        : status.equals("failed") || status.equals("missed")
                                ? "error"
                                : !recovery && !transform && status.equals("cancelled")
                                        ? "warning"
                                        : "info";
        return new Notice(
                delivery.kind(),
                render(NoticeTemplates.headline(text)),
                test ? render(NoticeTemplates.testSummary(summary)) : summary,
                List.copyOf(facts),
                details,
                linkList,
                severity,
                count,
                firstAt,
                lastAt,
                subjectKind,
                subjectId,
                "tributary:" + subjectKind + ":" + subjectId,
                type);
    }

    /**
     * What the wording templates know about a notice.
     *
     * @param expectation an expectation event: {@code name} is the expectation's
     * @param status the last word of the event type: failed, succeeded, started, cancelled,
     *     skipped, missed, recovered
     * @param message the event's message, cut to {@value #MAX_MESSAGE} characters, or null
     * @param firstFailure the unique id of the first failing dbt node
     */
    public record NoticeText(
            String subscription,
            boolean test,
            boolean recovery,
            boolean transform,
            boolean expectation,
            String name,
            String status,
            String subjectId,
            String command,
            String results,
            String reason,
            String message,
            String jobId,
            int failureCount,
            String firstFailure,
            String firstFailureMessage) {}

    /** A rendered text template without the newline that ends its last line. */
    static String render(TemplateInstance template) {
        String text = template.render();
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static List<Notice.Fact> expectationFacts(JsonNode data) {
        List<Notice.Fact> facts = new ArrayList<>();
        facts.add(new Notice.Fact("Expectation", data.path("name").asText()));
        facts.add(
                new Notice.Fact(
                        "Subject",
                        data.path("subjectKind").asText() + " " + data.path("subjectId").asText()));
        facts.add(new Notice.Fact("Promise", data.path("description").asText()));
        facts.add(new Notice.Fact("Deadline", data.path("deadline").asText()));
        facts.add(new Notice.Fact("Last kept", data.path("lastKeptAt").asText("never seen")));
        if (data.hasNonNull("lateBy")) {
            facts.add(new Notice.Fact("Late by", human(data.path("lateBy").asText())));
        }
        if (data.hasNonNull("rowsSynced")) {
            facts.add(
                    new Notice.Fact(
                            "Rows",
                            String.format(
                                    Locale.ROOT,
                                    "%,d (at least %,d expected; median %s)",
                                    data.path("rowsSynced").asLong(),
                                    data.path("threshold").asLong(),
                                    data.hasNonNull("medianRows")
                                            ? String.format(
                                                    Locale.ROOT,
                                                    "%,d",
                                                    data.path("medianRows").asLong())
                                            : "unknown")));
        }
        return facts;
    }

    private static List<Notice.Fact> transformFacts(
            JsonNode data, String transform, String command) {
        List<Notice.Fact> facts = new ArrayList<>();
        facts.add(new Notice.Fact("Transform", transform));
        String select =
                data.hasNonNull("select") ? " --select " + data.path("select").asText() : "";
        facts.add(new Notice.Fact("Command", command + select));
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
        return facts;
    }

    private static List<Notice.Fact> syncFacts(JsonNode data, String connection) {
        List<Notice.Fact> facts = new ArrayList<>();
        facts.add(new Notice.Fact("Connection", connection));
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
        return facts;
    }

    /** The first failing dbt nodes, one line each. */
    private static List<String> failingNodes(JsonNode data) {
        JsonNode failures = data.path("failures");
        List<String> details = new ArrayList<>();
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
        return List.copyOf(details);
    }

    /** Links to the connection and its job in Airbyte's UI, when its base URL is configured. */
    private List<Notice.Link> airbyteLinks(JsonNode data, String connection) {
        if (links.airbyteBaseUrl().isEmpty()) {
            return List.of();
        }
        String base = links.airbyteBaseUrl().get();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        List<Notice.Link> result = new ArrayList<>();
        result.add(
                new Notice.Link(
                        "Airbyte connection",
                        base
                                + links.airbyteConnectionPath()
                                        .replace("{connectionId}", connection)));
        if (data.hasNonNull("jobId")) {
            String job = data.path("jobId").asText();
            result.add(
                    new Notice.Link(
                            "Airbyte job " + job,
                            base
                                    + links.airbyteJobPath()
                                            .replace("{connectionId}", connection)
                                            .replace("{jobId}", job)));
        }
        return List.copyOf(result);
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
