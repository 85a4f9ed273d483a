package io.tributary.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tributary.console.owners.Owner;
import io.tributary.console.owners.OwnerAnswer;
import io.tributary.console.owners.OwnerClient;
import io.tributary.console.web.CurrentSession;
import io.tributary.console.web.Formats;
import io.tributary.console.web.Pages;
import io.tributary.console.web.Session;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The notifier-service's expectations (freshness, deadline and volume promises about a connection
 * or a transform): each with its state, and one with the events raised for it. Read-only: they are
 * edited through the notifier's API or its YAML file.
 */
@Path("/expectations")
@Produces(MediaType.TEXT_HTML)
public class ExpectationsResource {
    /** The notifier's list: every expectation with its state. */
    static final String LIST = "/api/expectations";

    static final int HISTORY = 50;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Inject OwnerClient owners;
    @Inject CurrentSession current;
    @Inject Pages pages;

    /** What an expectation is about, linked to its page on the console. */
    public record Subject(String kind, String id, String label, String href) {
        static Subject of(JsonNode s, Map<String, String> names) {
            String kind = s.path("kind").asText("");
            String id = s.path("id").asText("");
            return switch (kind) {
                case "connection" ->
                        new Subject(
                                kind,
                                id,
                                names.getOrDefault(id, id),
                                "/runs?connection=" + enc(id));
                case "transform" -> new Subject(kind, id, id, "/transforms/" + enc(id));
                default -> new Subject(kind, id, id, null);
            };
        }

        public boolean named() {
            return !label.equals(id);
        }
    }

    /** The promise in words; {@code code} (a cron expression) is shown as code between them. */
    public record Promise(String kind, String before, String code, String after) {
        static Promise of(JsonNode e) {
            if (e.hasNonNull("freshness")) {
                return new Promise(
                        "freshness",
                        "succeeds at least every " + every(e.get("freshness").path("every")),
                        null,
                        "");
            }
            if (e.hasNonNull("deadline")) {
                JsonNode d = e.get("deadline");
                return new Promise(
                        "deadline",
                        "by each fire of ",
                        d.path("cron").asText(),
                        " ("
                                + d.path("timeZone").asText("UTC")
                                + "), succeeded since the one before");
            }
            if (e.hasNonNull("volume")) {
                return new Promise("volume", volume(e.get("volume")), null, "");
            }
            return new Promise("unknown", "a promise this console does not know", null, "");
        }

        private static String volume(JsonNode v) {
            StringBuilder words = new StringBuilder("each successful sync has at least ");
            if (v.hasNonNull("minRows")) {
                words.append(number(v.get("minRows"))).append(" rows and ");
            }
            double fraction = v.path("fraction").asDouble();
            return words.append(number(fraction * 100))
                    .append(" % of the median of the last ")
                    .append(v.path("history").asText("?"))
                    .toString();
        }
    }

    /** An expectation as the list and its page show it. */
    public record Row(
            String id,
            String href,
            String name,
            Subject subject,
            Promise promise,
            boolean enabled,
            String origin,
            String state,
            Instant createdAt,
            Instant updatedAt,
            Instant lastKeptAt,
            Instant nextDeadlineAt,
            Instant missedAt) {

        static Row of(JsonNode e, Map<String, String> names) {
            String id = e.path("id").asText();
            return new Row(
                    id,
                    "/expectations/" + enc(id),
                    e.path("name").asText(id),
                    Subject.of(e.path("subject"), names),
                    Promise.of(e),
                    e.path("enabled").asBoolean(true),
                    e.path("origin").asText(null),
                    e.path("state").asText("unknown"),
                    instant(e.get("createdAt")),
                    instant(e.get("updatedAt")),
                    instant(e.get("lastKeptAt")),
                    instant(e.get("nextDeadlineAt")),
                    instant(e.get("missedAt")));
        }

        public boolean missed() {
            return state.equals("missed");
        }

        /** The badge's colour: only the three known states get one. */
        public String badgeClass() {
            return switch (state) {
                case "kept" -> "s-succeeded";
                case "missed" -> "s-failed";
                default -> "s-unknown";
            };
        }

        /** {@code in 4 h 59 min}, or {@code overdue by 12.0 s} when the deadline has passed. */
        public String dueIn() {
            if (nextDeadlineAt == null) {
                return "";
            }
            Duration left = Duration.between(Instant.now(), nextDeadlineAt).withNanos(0);
            return left.isNegative()
                    ? "overdue by " + Formats.human(left.negated())
                    : "in " + Formats.human(left);
        }

        int order() {
            return switch (state) {
                case "missed" -> 0;
                case "unknown" -> 1;
                default -> 2;
            };
        }
    }

    /** One event raised for an expectation: a miss (or volume anomaly) or a recovery. */
    public record Event(
            String type,
            Instant at,
            Instant deadline,
            Instant lastKeptAt,
            String lateBy,
            String message,
            String rows,
            String jobId,
            String correlationId) {

        static Event of(JsonNode h) {
            return new Event(
                    h.path("type").asText(),
                    instant(h.get("at")),
                    instant(h.get("deadline")),
                    instant(h.get("lastKeptAt")),
                    duration(h.get("lateBy")),
                    h.path("message").asText(null),
                    rows(h),
                    h.hasNonNull("jobId") ? h.get("jobId").asText() : null,
                    runId(h.get("correlationId")));
        }

        /** A correlation id fit for a /runs/ link (it comes from another service). */
        private static String runId(JsonNode id) {
            return id != null && id.isTextual() && id.asText().matches("[A-Za-z0-9._-]{1,100}")
                    ? id.asText()
                    : null;
        }

        public String badgeClass() {
            return switch (type) {
                case "missed" -> "s-failed";
                case "recovered" -> "s-succeeded";
                default -> "s-unknown";
            };
        }

        /** {@code 12 rows · median 1,000 · threshold 100} for a volume anomaly. */
        private static String rows(JsonNode h) {
            List<String> parts = new ArrayList<>();
            if (h.hasNonNull("rowsSynced")) {
                parts.add(number(h.get("rowsSynced")) + " rows");
            }
            if (h.hasNonNull("medianRows")) {
                parts.add("median " + number(h.get("medianRows")));
            }
            if (h.hasNonNull("threshold")) {
                parts.add("threshold " + number(h.get("threshold")));
            }
            return parts.isEmpty() ? null : String.join(" · ", parts);
        }
    }

    /** The list's counts by state, missed first. */
    public record Counts(long missed, long unknown, long kept) {
        static Counts of(List<Row> rows) {
            return new Counts(
                    rows.stream().filter(Row::missed).count(),
                    rows.stream().filter(r -> r.order() == 1).count(),
                    rows.stream().filter(r -> r.state().equals("kept")).count());
        }
    }

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance expectations(
                Session session, List<Row> rows, Counts counts, String ownerProblem);

        static native TemplateInstance expectation(
                Session session, String id, Row row, List<Event> history, List<String> problems);
    }

    @GET
    public TemplateInstance list() {
        // The names come from the sync-monitor: asked beside the notifier, so that two hung owners
        // still cost one owner timeout.
        CompletableFuture<Map<String, String>> names =
                CompletableFuture.supplyAsync(owners::connectionNames);
        OwnerAnswer answer = owners.get(Owner.NOTIFIER, LIST);
        List<Row> rows = rows(answer, names.join());
        return Templates.expectations(current.get(), rows, Counts.of(rows), answer.message());
    }

    @GET
    @Path("{id}")
    public Response detail(@PathParam("id") String id) {
        if (!ID.matcher(id).matches()) {
            return pages.error(404, "There is no such expectation.");
        }
        String historyPath = LIST + "/" + enc(id) + "/history?limit=" + HISTORY;
        CompletableFuture<Map<String, String>> names =
                CompletableFuture.supplyAsync(owners::connectionNames);
        Map<String, OwnerAnswer> answers =
                owners.getAll(Owner.NOTIFIER, List.of(LIST, historyPath));
        OwnerAnswer list = answers.get(LIST);
        OwnerAnswer history = answers.get(historyPath);
        Row row =
                rows(list, names.join()).stream()
                        .filter(r -> r.id().equals(id))
                        .findFirst()
                        .orElse(null);
        if (history.status() == 404 || (list.ok() && row == null)) {
            return pages.error(404, "The notifier-service has no expectation " + id + ".");
        }
        // null when the notifier did not answer: the page says so instead of "nothing raised".
        List<Event> events = null;
        if (history.ok()) {
            events = new ArrayList<>();
            for (JsonNode h : history.body() == null ? List.<JsonNode>of() : history.body()) {
                events.add(Event.of(h));
            }
        }
        List<String> problems =
                java.util.stream.Stream.of(list.message(), history.message())
                        .filter(java.util.Objects::nonNull)
                        .distinct()
                        .toList();
        return Response.ok(Templates.expectation(current.get(), id, row, events, problems)).build();
    }

    /** How many expectations the notifier reports missed (0 when it did not answer). */
    static long missed(OwnerAnswer answer) {
        return rows(answer, Map.of()).stream().filter(Row::missed).count();
    }

    private static List<Row> rows(OwnerAnswer answer, Map<String, String> names) {
        List<Row> rows = new ArrayList<>();
        if (answer.ok() && answer.body() != null) {
            answer.body().forEach(e -> rows.add(Row.of(e, names)));
        }
        rows.sort(Comparator.comparingInt(Row::order).thenComparing(Row::name));
        return rows;
    }

    /** {@code 6 h}, {@code 30 min}, {@code 1 d}: a promise's period as written, in words. */
    static String every(JsonNode iso) {
        try {
            Duration d = Duration.parse(iso.asText());
            if (d.toSeconds() % 86400 == 0) {
                return d.toDays() + " d";
            }
            if (d.toSeconds() % 3600 == 0) {
                return d.toHours() + " h";
            }
            if (d.toSeconds() % 60 == 0) {
                return d.toMinutes() + " min";
            }
            return Formats.human(d);
        } catch (RuntimeException e) {
            return iso.asText();
        }
    }

    private static String duration(JsonNode iso) {
        return read(iso, text -> Formats.human(Duration.parse(text)), text -> text);
    }

    private static Instant instant(JsonNode iso) {
        return read(iso, Instant::parse, text -> null);
    }

    /** A time or duration the page cannot read is shown as sent or left out, never an error. */
    private static <T> T read(
            JsonNode value, Function<String, T> parse, Function<String, T> otherwise) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return parse.apply(value.asText());
        } catch (RuntimeException e) {
            return otherwise.apply(value.asText());
        }
    }

    private static String number(JsonNode n) {
        return n.isIntegralNumber()
                ? String.format(java.util.Locale.ROOT, "%,d", n.asLong())
                : number(n.asDouble());
    }

    /** {@code 1,000}, {@code 10}, {@code 12.5}: at most two decimals (0.1 × 100 is 10). */
    private static String number(double d) {
        double r = Math.round(d * 100) / 100.0;
        return r == Math.rint(r)
                ? String.format(java.util.Locale.ROOT, "%,d", (long) r)
                : String.format(java.util.Locale.ROOT, "%,.2f", r).replaceAll("0$", "");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
