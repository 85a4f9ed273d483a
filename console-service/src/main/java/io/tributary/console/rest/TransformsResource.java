package io.tributary.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tributary.console.owners.Owner;
import io.tributary.console.owners.OwnerAnswer;
import io.tributary.console.owners.OwnerClient;
import io.tributary.console.run.HistoryRepository;
import io.tributary.console.run.HistoryRepository.Ending;
import io.tributary.console.web.CurrentSession;
import io.tributary.console.web.Formats;
import io.tributary.console.web.Lineage;
import io.tributary.console.web.Pages;
import io.tributary.console.web.Session;
import io.tributary.console.web.Sparkline;
import io.tributary.console.web.Trend;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * dbt transforms: each with its upstream connections, last runs, slowest nodes and lineage
 * (connections → sources → models → exposures, from the project's manifest), and "Run now".
 */
@Path("/transforms")
@Produces(MediaType.TEXT_HTML)
public class TransformsResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    @Inject OwnerClient owners;
    @Inject HistoryRepository history;
    @Inject CurrentSession current;
    @Inject Pages pages;

    /** A transform in the list. */
    public record Row(
            String name,
            String command,
            String upstream,
            Ending last,
            String successRate,
            Sparkline durations) {}

    /** One dbt run as the transform-service reports it. */
    public record RunRow(
            String runId,
            String status,
            String startedAt,
            String took,
            String summary,
            String message,
            boolean open) {}

    /** A dbt node and how long it took in the newest run that has node results. */
    public record NodeTime(String node, String status, String took) {}

    /** What the detail page says of the definition. */
    public record Definition(String command, String select, String target, String runner) {
        static Definition of(JsonNode d) {
            return d == null
                    ? null
                    : new Definition(
                            d.path("command").asText("build"),
                            d.path("select").asText(null),
                            d.path("target").asText("default"),
                            d.path("runner").asText("cli"));
        }
    }

    /** The detail page. */
    public record Detail(
            String name,
            Definition definition,
            List<String> upstream,
            List<RunRow> runs,
            List<NodeTime> slowest,
            Lineage lineage,
            String lineageNote,
            List<String> problems) {}

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance transforms(
                Session session, List<Row> rows, String ownerProblem);

        static native TemplateInstance transform(Session session, Detail detail);
    }

    @GET
    public TemplateInstance list() {
        OwnerAnswer defs = owners.get(Owner.TRANSFORM, "/api/transforms");
        Map<String, List<Ending>> endings =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        history.transformEndings(
                                                Instant.now().minus(Duration.ofDays(30)), 20));
        Map<String, Row> rows = new LinkedHashMap<>();
        if (defs.ok() && defs.body() != null) {
            for (JsonNode d : defs.body()) {
                String name = d.path("name").asText();
                rows.put(name, row(name, d, endings.get(name)));
            }
        }
        endings.forEach((name, list) -> rows.computeIfAbsent(name, n -> row(n, null, list)));
        return Templates.transforms(current.get(), new ArrayList<>(rows.values()), defs.message());
    }

    @GET
    @Path("{name}")
    public Response detail(@PathParam("name") String name) {
        if (!NAME.matcher(name).matches()) {
            return pages.error(404, "There is no such transform.");
        }
        String path = "/api/transforms/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        Map<String, OwnerAnswer> answers =
                owners.getAll(
                        Owner.TRANSFORM,
                        List.of(path, path + "/runs?limit=10", path + "/manifest"));
        OwnerAnswer def = answers.get(path);
        if (def.status() == 404) {
            return pages.error(404, "The transform-service has no transform named " + name + ".");
        }
        List<String> problems = new ArrayList<>();
        if (!def.ok()) {
            problems.add(def.message());
        }
        List<String> upstreamIds = new ArrayList<>();
        if (def.body() != null) {
            def.body()
                    .path("upstream")
                    .path("connectionIds")
                    .forEach(c -> upstreamIds.add(c.asText()));
        }
        Map<String, String> connectionNames = connectionNames(upstreamIds);
        OwnerAnswer runsAnswer = answers.get(path + "/runs?limit=10");
        List<RunRow> runs = new ArrayList<>();
        List<NodeTime> slowest = new ArrayList<>();
        Map<String, String> nodeStatus = new HashMap<>();
        if (runsAnswer.ok() && runsAnswer.body() != null) {
            String newestFinished = null;
            for (JsonNode r : runsAnswer.body()) {
                RunRow row = runRow(r);
                runs.add(row);
                if (newestFinished == null && !row.open()) {
                    newestFinished = row.runId();
                }
            }
            // Colours and timings come from the newest finished run (a running one is partial);
            // its node results are in its own answer.
            if (newestFinished != null) {
                OwnerAnswer run =
                        owners.get(
                                Owner.TRANSFORM,
                                "/api/runs/"
                                        + URLEncoder.encode(
                                                newestFinished, StandardCharsets.UTF_8));
                if (run.ok() && run.body() != null) {
                    run.body()
                            .path("nodes")
                            .forEach(
                                    n ->
                                            nodeStatus.put(
                                                    n.path("uniqueId").asText(),
                                                    n.path("status").asText()));
                    slowest = slowest(run.body().path("nodes"));
                }
            }
        } else if (!runsAnswer.ok()) {
            problems.add(runsAnswer.message());
        }
        Map<String, String> connectionStatus = new HashMap<>();
        Map<String, List<Ending>> syncs =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        history.syncEndings(
                                                Instant.now().minus(Duration.ofDays(30)), 1));
        upstreamIds.forEach(
                id -> {
                    List<Ending> e = syncs.get(id);
                    connectionStatus.put(
                            id, e == null || e.isEmpty() ? "unknown" : e.get(0).status());
                });
        OwnerAnswer manifest = answers.get(path + "/manifest");
        Lineage lineage = null;
        String lineageNote = null;
        if (manifest.ok() && manifest.body() != null) {
            lineage = Lineage.of(manifest.body(), connectionNames, connectionStatus, nodeStatus);
        } else if (manifest.status() == 404) {
            lineageNote = "No lineage yet: it appears after the transform's first dbt run.";
        } else {
            problems.add(manifest.message());
        }
        List<String> upstream =
                upstreamIds.stream().map(id -> connectionNames.getOrDefault(id, id)).toList();
        return Response.ok(
                        Templates.transform(
                                current.get(),
                                new Detail(
                                        name,
                                        Definition.of(def.body()),
                                        upstream,
                                        runs,
                                        slowest,
                                        lineage,
                                        lineageNote,
                                        problems)))
                .build();
    }

    /** The upstream connections, id → name (the id itself when the sync-monitor is down). */
    private Map<String, String> connectionNames(List<String> ids) {
        Map<String, String> known = ids.isEmpty() ? Map.of() : owners.connectionNames();
        Map<String, String> names = new LinkedHashMap<>();
        ids.forEach(id -> names.put(id, known.getOrDefault(id, id)));
        return names;
    }

    static Row row(String name, JsonNode def, List<Ending> endings) {
        String upstream = null;
        if (def != null) {
            int n = def.path("upstream").path("connectionIds").size();
            upstream =
                    n == 0
                            ? "no upstream"
                            : n
                                    + " connection(s), when "
                                    + def.path("upstream").path("when").asText("any");
        }
        Trend t = Trend.of(endings);
        return new Row(
                name,
                def == null ? null : def.path("command").asText(null),
                upstream,
                t.last(),
                t.successRate(),
                t.durations());
    }

    private static RunRow runRow(JsonNode r) {
        String status = r.path("status").asText();
        JsonNode s = r.path("summary");
        String summary =
                s.isMissingNode() || s.isNull()
                        ? ""
                        : s.path("success").asInt()
                                + " ok, "
                                + s.path("error").asInt()
                                + " errors, "
                                + s.path("pass").asInt()
                                + " tests passed, "
                                + s.path("fail").asInt()
                                + " failed";
        String took = "";
        if (r.hasNonNull("elapsed")) {
            try {
                took = Formats.human(Duration.parse(r.get("elapsed").asText()));
            } catch (RuntimeException e) {
                took = r.get("elapsed").asText();
            }
        }
        boolean open = status.equalsIgnoreCase("running") || status.equalsIgnoreCase("queued");
        return new RunRow(
                r.path("runId").asText(),
                status.toLowerCase(java.util.Locale.ROOT),
                time(r.path("startedAt").asText(r.path("queuedAt").asText(null))),
                took,
                summary,
                r.path("message").asText(null),
                open);
    }

    private static String time(String iso) {
        try {
            return iso == null ? "" : Formats.utc(Instant.parse(iso)) + " UTC";
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static List<NodeTime> slowest(JsonNode nodes) {
        List<JsonNode> list = new ArrayList<>();
        nodes.forEach(list::add);
        return list.stream()
                .filter(n -> n.hasNonNull("executionTime"))
                .sorted(
                        Comparator.comparingDouble(
                                        (JsonNode n) -> n.get("executionTime").asDouble())
                                .reversed())
                .limit(8)
                .map(
                        n ->
                                new NodeTime(
                                        n.path("uniqueId").asText(),
                                        n.path("status").asText(),
                                        Formats.human(
                                                Duration.ofMillis(
                                                        Math.round(
                                                                n.get("executionTime").asDouble()
                                                                        * 1000)))))
                .toList();
    }
}
