package io.tributary.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A transform's lineage as a layered graph: Airbyte connections → dbt sources → models (seeds,
 * snapshots) by depth → exposures, read from the project's {@code manifest.json}, each node
 * coloured by its last status. Laid out here, drawn as SVG by the page.
 */
public record Lineage(List<Node> nodes, List<Edge> edges, int width, int height) {
    static final int COLUMN = 230;
    static final int ROW = 42;
    static final int BOX_W = 190;
    static final int BOX_H = 28;

    /** A box: its kind ({@code connection}, {@code source}, {@code model}...), label, status. */
    public record Node(String id, String kind, String label, String status, int x, int y) {
        public int textX() {
            return x + 8;
        }

        public int textY() {
            return y + 18;
        }

        /** The label cut to fit its box. */
        public String shortLabel() {
            return label.length() > 26 ? label.substring(0, 25) + "…" : label;
        }
    }

    /** A curve from the right edge of one box to the left edge of another (SVG path data). */
    public record Edge(String from, String to, String path) {}

    private static final Set<String> MODEL_TYPES = Set.of("model", "seed", "snapshot");

    /**
     * @param connections upstream connections, id → name
     * @param connectionStatus id → status of its last sync
     * @param nodeStatus dbt unique id → status of its last run result
     */
    public static Lineage of(
            JsonNode manifest,
            Map<String, String> connections,
            Map<String, String> connectionStatus,
            Map<String, String> nodeStatus) {
        Map<String, String> kind = new LinkedHashMap<>();
        Map<String, String> label = new HashMap<>();
        Map<String, List<String>> parents = new HashMap<>();
        connections.forEach(
                (id, name) -> {
                    kind.put("connection:" + id, "connection");
                    label.put("connection:" + id, name == null ? id : name);
                });
        manifest.path("sources")
                .forEach(
                        s -> {
                            String id = s.path("unique_id").asText();
                            kind.put(id, "source");
                            label.put(
                                    id,
                                    s.path("source_name").asText() + "." + s.path("name").asText());
                            // Until Airbyte's per-stream results name the streams, every upstream
                            // connection feeds every source.
                            parents.put(
                                    id,
                                    connections.keySet().stream()
                                            .map(c -> "connection:" + c)
                                            .toList());
                        });
        manifest.path("nodes")
                .forEach(
                        n -> {
                            String type = n.path("resource_type").asText();
                            if (MODEL_TYPES.contains(type)) {
                                String id = n.path("unique_id").asText();
                                kind.put(id, type);
                                label.put(id, n.path("name").asText());
                                parents.put(id, strings(n.path("depends_on").path("nodes")));
                            }
                        });
        manifest.path("exposures")
                .forEach(
                        e -> {
                            String id = e.path("unique_id").asText();
                            kind.put(id, "exposure");
                            label.put(id, e.path("label").asText(e.path("name").asText()));
                            parents.put(id, strings(e.path("depends_on").path("nodes")));
                        });
        // A model whose test failed is shown failed: that is where a user has to look.
        Map<String, String> shown = new HashMap<>(nodeStatus);
        manifest.path("nodes")
                .forEach(
                        n -> {
                            if (n.path("resource_type").asText().equals("test")
                                    && css(nodeStatus.getOrDefault(
                                                    n.path("unique_id").asText(), ""))
                                            .equals("failed")) {
                                strings(n.path("depends_on").path("nodes"))
                                        .forEach(m -> shown.put(m, "fail"));
                            }
                        });
        Map<String, Integer> depth = new HashMap<>();
        for (String id : kind.keySet()) {
            depth(id, kind, parents, depth, 0);
        }
        Map<Integer, List<String>> columns = new java.util.TreeMap<>();
        kind.keySet().stream()
                .sorted(Comparator.comparing((String id) -> label.get(id)))
                .forEach(
                        id ->
                                columns.computeIfAbsent(depth.get(id), d -> new ArrayList<>())
                                        .add(id));
        Map<String, Node> nodes = new LinkedHashMap<>();
        int maxRows = 0;
        int col = 0;
        for (List<String> ids : columns.values()) {
            int row = 0;
            for (String id : ids) {
                String k = kind.get(id);
                String status =
                        switch (k) {
                            case "connection" ->
                                    connectionStatus.getOrDefault(
                                            id.substring("connection:".length()), "unknown");
                                // A source holds what its connections loaded last.
                            case "source" -> sourceStatus(connectionStatus);
                            default -> shown.getOrDefault(id, "unknown");
                        };
                nodes.put(
                        id,
                        new Node(
                                id,
                                k,
                                label.get(id),
                                css(status),
                                10 + col * COLUMN,
                                10 + row * ROW));
                row++;
            }
            maxRows = Math.max(maxRows, row);
            col++;
        }
        List<Edge> edges = new ArrayList<>();
        parents.forEach(
                (child, ps) -> {
                    Node to = nodes.get(child);
                    for (String p : ps) {
                        Node from = nodes.get(p);
                        if (from != null && to != null) {
                            edges.add(new Edge(p, child, curve(from, to)));
                        }
                    }
                });
        return new Lineage(
                List.copyOf(nodes.values()),
                edges,
                Math.max(1, col) * COLUMN + 10,
                Math.max(1, maxRows) * ROW + 10);
    }

    /** Failed when any upstream sync failed last, succeeded when all succeeded. */
    private static String sourceStatus(Map<String, String> connectionStatus) {
        if (connectionStatus.isEmpty()) {
            return "unknown";
        }
        if (connectionStatus.values().stream().anyMatch(s -> css(s).equals("failed"))) {
            return "failed";
        }
        return connectionStatus.values().stream().allMatch(s -> css(s).equals("succeeded"))
                ? "succeeded"
                : "unknown";
    }

    private static int depth(
            String id,
            Map<String, String> kind,
            Map<String, List<String>> parents,
            Map<String, Integer> memo,
            int guard) {
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        int d = 0;
        if (guard < 200) {
            for (String p : parents.getOrDefault(id, List.of())) {
                if (kind.containsKey(p)) {
                    d = Math.max(d, depth(p, kind, parents, memo, guard + 1) + 1);
                }
            }
        }
        memo.put(id, d);
        return d;
    }

    private static String curve(Node from, Node to) {
        int x1 = from.x() + BOX_W;
        int y1 = from.y() + BOX_H / 2;
        int x2 = to.x();
        int y2 = to.y() + BOX_H / 2;
        int mid = (x1 + x2) / 2;
        return "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + ","
                + y2;
    }

    /** dbt's and Airbyte's statuses to the console's colours. */
    static String css(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "success", "pass", "succeeded" -> "succeeded";
            case "error", "fail", "failed", "runtime error" -> "failed";
            case "warn" -> "waiting";
            case "running" -> "running";
            case "skipped", "cancelled" -> "cancelled";
            default -> "unknown";
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    public int boxWidth() {
        return BOX_W;
    }

    public int boxHeight() {
        return BOX_H;
    }
}
