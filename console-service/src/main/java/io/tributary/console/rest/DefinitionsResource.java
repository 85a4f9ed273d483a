package io.tributary.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.tributary.console.owners.Owner;
import io.tributary.console.owners.OwnerAnswer;
import io.tributary.console.owners.OwnerClient;
import io.tributary.console.web.ChainGraph;
import io.tributary.console.web.CurrentSession;
import io.tributary.console.web.Session;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What is defined, from its owners: hooks (never their secrets), schedules with their next fire
 * times, rules as a graph of chains, Kafka triggers, subscriptions. An owner that is down is named;
 * the rest still shows.
 */
@Path("/definitions")
@Produces(MediaType.TEXT_HTML)
public class DefinitionsResource {
    /** Field names never shown, whatever an owner answers. */
    private static final Pattern SECRET =
            Pattern.compile(
                    "(?i).*(secret|token|password|apikey|api_key|routingkey|authorization|credential).*");

    @Inject OwnerClient owners;
    @Inject CurrentSession current;

    /** A definition as a row: id, on/off, one line of what it does, extra facts. */
    public record Item(String id, boolean enabled, String summary, List<String> facts) {}

    /** The page. */
    public record View(
            List<Item> hooks,
            List<Item> schedules,
            List<Item> rules,
            ChainGraph chains,
            List<Item> kafkaTriggers,
            List<Item> subscriptions,
            List<String> problems) {}

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance definitions(Session session, View view);
    }

    @GET
    public TemplateInstance page() {
        List<String> problems = new ArrayList<>();
        Map<String, OwnerAnswer> trigger =
                owners.getAll(
                        Owner.TRIGGER,
                        List.of(
                                "/api/hooks",
                                "/api/schedules",
                                "/api/rules",
                                "/api/kafka-triggers"));
        OwnerAnswer subs = owners.get(Owner.NOTIFIER, "/api/subscriptions");
        Map<String, String> names = owners.connectionNames();
        List<Item> hooks = items(trigger.get("/api/hooks"), problems, this::hook, names);
        List<Item> schedules = schedules(trigger.get("/api/schedules"), problems, names);
        OwnerAnswer rulesAnswer = trigger.get("/api/rules");
        List<Item> rules = items(rulesAnswer, problems, this::rule, names);
        ChainGraph chains = chains(rulesAnswer, names);
        List<Item> kafka =
                items(trigger.get("/api/kafka-triggers"), problems, this::kafkaTrigger, names);
        List<Item> subscriptions = items(subs, problems, this::subscription, names);
        return Templates.definitions(
                current.get(),
                new View(
                        hooks,
                        schedules,
                        rules,
                        chains,
                        kafka,
                        subscriptions,
                        List.copyOf(new LinkedHashSet<>(problems))));
    }

    private interface Describe {
        Item of(JsonNode n, Map<String, String> names);
    }

    private List<Item> items(
            OwnerAnswer a, List<String> problems, Describe describe, Map<String, String> names) {
        if (!a.ok() || a.body() == null) {
            problems.add(a.message());
            return List.of();
        }
        List<Item> items = new ArrayList<>();
        a.body().forEach(n -> items.add(describe.of(n, names)));
        return items;
    }

    private List<Item> schedules(
            OwnerAnswer list, List<String> problems, Map<String, String> names) {
        if (!list.ok() || list.body() == null) {
            problems.add(list.message());
            return List.of();
        }
        // The next fire times come with each schedule's own answer.
        List<String> paths = new ArrayList<>();
        list.body()
                .forEach(
                        s ->
                                paths.add(
                                        "/api/schedules/"
                                                + URLEncoder.encode(
                                                        s.path("id").asText(),
                                                        StandardCharsets.UTF_8)));
        Map<String, OwnerAnswer> each = owners.getAll(Owner.TRIGGER, paths);
        List<Item> items = new ArrayList<>();
        int i = 0;
        for (JsonNode s : list.body()) {
            OwnerAnswer one = each.get(paths.get(i++));
            JsonNode n = one.ok() && one.body() != null ? one.body() : s;
            List<String> facts = new ArrayList<>();
            List<String> next = new ArrayList<>();
            n.path("nextFireTimes").forEach(t -> next.add(t.asText()));
            facts.add(next.isEmpty() ? "no next fire time" : "next: " + String.join(" · ", next));
            if (n.hasNonNull("lastFireAt")) {
                facts.add("last fired " + n.get("lastFireAt").asText());
            }
            facts.add(
                    "misfire "
                            + n.path("misfirePolicy").asText(n.path("misfire").asText("default")));
            items.add(
                    new Item(
                            n.path("id").asText(),
                            n.path("enabled").asBoolean(true),
                            "cron "
                                    + n.path("cron").asText()
                                    + " ("
                                    + n.path("timeZone").asText("UTC")
                                    + ") → "
                                    + connections(n.path("connectionIds"), names),
                            facts));
        }
        return items;
    }

    private Item hook(JsonNode n, Map<String, String> names) {
        List<String> facts = new ArrayList<>();
        facts.add("POST /webhooks/" + n.path("id").asText());
        filter(n, facts);
        return new Item(
                n.path("id").asText(),
                n.path("enabled").asBoolean(true),
                n.path("scheme").asText() + " → " + connections(n.path("connectionIds"), names),
                facts);
    }

    private Item rule(JsonNode n, Map<String, String> names) {
        return new Item(
                n.path("id").asText(),
                n.path("enabled").asBoolean(true),
                "on "
                        + join(n.path("eventTypes"))
                        + " of "
                        + connections(n.path("sourceConnectionIds"), names)
                        + (n.hasNonNull("condition") ? " when " + n.get("condition").asText() : "")
                        + " → "
                        + n.path("jobType").asText("sync")
                        + " "
                        + connections(n.path("targetConnectionIds"), names),
                List.of());
    }

    private Item kafkaTrigger(JsonNode n, Map<String, String> names) {
        List<String> facts = new ArrayList<>();
        facts.add("format " + n.path("format").asText("json"));
        if (n.hasNonNull("minInterval")) {
            facts.add(
                    "at most one request per " + n.get("minInterval").asText() + " per connection");
        }
        filter(n, facts);
        return new Item(
                n.path("id").asText(),
                n.path("enabled").asBoolean(true),
                "topic "
                        + n.path("topic").asText()
                        + " → "
                        + connections(n.path("connectionIds"), names),
                facts);
    }

    private Item subscription(JsonNode n, Map<String, String> names) {
        List<String> facts = new ArrayList<>();
        JsonNode settings = n.path("settings");
        if (settings.isObject()) {
            facts.add("settings: " + safe(settings));
        }
        filter(n, facts);
        return new Item(
                n.hasNonNull("name") ? n.get("name").asText() : n.path("id").asText(),
                n.path("enabled").asBoolean(true),
                join(n.path("eventTypes")) + " → " + n.path("channel").asText(),
                facts);
    }

    /** The definition's CEL filter, shown as written (the page escapes it). */
    private static void filter(JsonNode n, List<String> facts) {
        if (n.hasNonNull("filter") && !n.get("filter").asText().isBlank()) {
            facts.add("filter: " + n.get("filter").asText());
        }
    }

    private ChainGraph chains(OwnerAnswer rules, Map<String, String> names) {
        List<ChainGraph.Link> links = new ArrayList<>();
        if (rules.ok() && rules.body() != null) {
            for (JsonNode r : rules.body()) {
                String label =
                        join(r.path("eventTypes"))
                                + (r.hasNonNull("condition")
                                        ? " · " + r.get("condition").asText()
                                        : "");
                for (JsonNode from : r.path("sourceConnectionIds")) {
                    for (JsonNode to : r.path("targetConnectionIds")) {
                        links.add(
                                new ChainGraph.Link(
                                        r.path("id").asText(),
                                        from.asText(),
                                        to.asText(),
                                        label,
                                        r.path("enabled").asBoolean(true)));
                    }
                }
            }
        }
        return ChainGraph.of(links, names);
    }

    private static String connections(JsonNode ids, Map<String, String> names) {
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(names.getOrDefault(id.asText(), id.asText())));
        return out.isEmpty() ? "(none)" : String.join(", ", out);
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }

    /** A settings object as "key: value" text, without any field that could hold a secret. */
    static String safe(JsonNode node) {
        if (node == null) {
            return "";
        }
        if (!node.isObject()) {
            return node.toString();
        }
        List<String> parts = new ArrayList<>();
        Set<String> hidden = new LinkedHashSet<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (SECRET.matcher(e.getKey().toLowerCase(Locale.ROOT)).matches()) {
                                hidden.add(e.getKey());
                            } else if (e.getKey().equalsIgnoreCase("url")
                                    || e.getKey().toLowerCase(Locale.ROOT).endsWith("url")) {
                                parts.add(e.getKey() + ": " + hostOnly(e.getValue().asText()));
                            } else {
                                parts.add(
                                        e.getKey()
                                                + ": "
                                                + (e.getValue().isValueNode()
                                                        ? e.getValue().asText()
                                                        : e.getValue().toString()));
                            }
                        });
        if (!hidden.isEmpty()) {
            parts.add(String.join(", ", hidden) + ": (hidden)");
        }
        return String.join("; ", parts);
    }

    /** A URL's scheme and host only: paths of webhook URLs (Slack's, Teams') are secrets. */
    static String hostOnly(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme()
                    + "://"
                    + u.getHost()
                    + (u.getPort() > 0 ? ":" + u.getPort() : "")
                    + "/…";
        } catch (RuntimeException e) {
            return "(hidden)";
        }
    }
}
