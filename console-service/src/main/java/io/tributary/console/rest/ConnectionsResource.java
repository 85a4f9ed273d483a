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
import io.tributary.console.web.Session;
import io.tributary.console.web.Sparkline;
import io.tributary.console.web.Trend;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every Airbyte connection the sync-monitor knows or the events mention: last sync, success rate,
 * durations and rows over the last runs, its policy, and the actions "Sync now" and "Reset + sync".
 */
@Path("/connections")
@Produces(MediaType.TEXT_HTML)
public class ConnectionsResource {
    static final int LAST = 20;

    @Inject OwnerClient owners;
    @Inject HistoryRepository history;
    @Inject CurrentSession current;

    /** One connection's row. */
    public record Row(
            String id,
            String name,
            String status,
            String policy,
            Ending last,
            String successRate,
            Sparkline durations,
            Sparkline rows,
            String formKey) {}

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance connections(
                Session session, List<Row> rows, String ownerProblem);
    }

    @GET
    public TemplateInstance list() {
        OwnerAnswer known = owners.get(Owner.MONITOR, "/api/connections");
        Map<String, List<Ending>> endings =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        history.syncEndings(
                                                Instant.now().minus(Duration.ofDays(30)), LAST));
        Map<String, Row> rows = new LinkedHashMap<>();
        if (known.ok() && known.body() != null) {
            for (JsonNode c : known.body()) {
                String id = c.path("connectionId").asText();
                rows.put(
                        id,
                        row(
                                id,
                                c.path("name").asText(null),
                                c.path("status").asText(null),
                                policy(c),
                                endings.get(id)));
            }
        }
        endings.forEach(
                (id, list) -> rows.computeIfAbsent(id, k -> row(id, null, null, null, list)));
        return Templates.connections(
                current.get(), new ArrayList<>(rows.values()), known.message());
    }

    static Row row(String id, String name, String status, String policy, List<Ending> endings) {
        Trend t = Trend.of(endings);
        return new Row(
                id,
                name,
                status,
                policy,
                t.last(),
                t.successRate(),
                t.durations(),
                t.rows(),
                UUID.randomUUID().toString());
    }

    private static String policy(JsonNode c) {
        JsonNode p = c.path("policy");
        List<String> parts = new ArrayList<>();
        if (p.hasNonNull("minRecords")) {
            parts.add("at least " + p.get("minRecords").asText() + " rows");
        }
        String deadline = c.path("effectiveDeadline").asText(null);
        if (deadline != null) {
            try {
                parts.add("deadline " + Formats.human(Duration.parse(deadline)));
            } catch (RuntimeException e) {
                parts.add("deadline " + deadline);
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
