package io.tributary.console.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Event rules as a small graph: each connection a box, each rule an arrow from the connection whose
 * sync event fires it to the one it syncs next. Columns by the longest chain before a connection
 * (rules with cycles are refused when saved, so the graph has none).
 */
public record ChainGraph(List<Lineage.Node> nodes, List<Edge> edges, int width, int height) {
    /** Wider than the lineage's columns: the rule's label sits on the arrow between boxes. */
    static final int COLUMN = Lineage.BOX_W + 260;

    /** An arrow with its rule's label at its middle. */
    public record Edge(
            String rule, String label, String path, int labelX, int labelY, boolean enabled) {}

    /** One rule edge: from a connection to a connection. */
    public record Link(String rule, String from, String to, String label, boolean enabled) {}

    public static ChainGraph of(List<Link> links, Map<String, String> names) {
        Set<String> ids = new LinkedHashSet<>();
        Map<String, List<String>> parents = new HashMap<>();
        for (Link l : links) {
            ids.add(l.from());
            ids.add(l.to());
            parents.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l.from());
        }
        Map<String, Integer> depth = new HashMap<>();
        ids.forEach(id -> depth(id, parents, depth, 0));
        Map<Integer, List<String>> columns = new TreeMap<>();
        ids.stream()
                .sorted(Comparator.comparing((String id) -> names.getOrDefault(id, id)))
                .forEach(
                        id ->
                                columns.computeIfAbsent(depth.get(id), d -> new ArrayList<>())
                                        .add(id));
        Map<String, Lineage.Node> nodes = new LinkedHashMap<>();
        int col = 0;
        int maxRows = 0;
        for (List<String> column : columns.values()) {
            int row = 0;
            for (String id : column) {
                nodes.put(
                        id,
                        new Lineage.Node(
                                "connection:" + id,
                                "connection",
                                names.getOrDefault(id, id),
                                "done",
                                10 + col * COLUMN,
                                10 + row * Lineage.ROW));
                row++;
            }
            maxRows = Math.max(maxRows, row);
            col++;
        }
        List<Edge> edges = new ArrayList<>();
        for (Link l : links) {
            Lineage.Node from = nodes.get(l.from());
            Lineage.Node to = nodes.get(l.to());
            int x1 = from.x() + Lineage.BOX_W;
            int y1 = from.y() + Lineage.BOX_H / 2;
            int x2 = to.x();
            int y2 = to.y() + Lineage.BOX_H / 2;
            int mid = (x1 + x2) / 2;
            edges.add(
                    new Edge(
                            l.rule(),
                            l.label(),
                            "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " "
                                    + x2 + "," + y2,
                            mid,
                            (y1 + y2) / 2 - 4,
                            l.enabled()));
        }
        return new ChainGraph(
                List.copyOf(nodes.values()),
                edges,
                Math.max(1, col) * COLUMN - 240,
                Math.max(1, maxRows) * Lineage.ROW + 10);
    }

    private static int depth(
            String id, Map<String, List<String>> parents, Map<String, Integer> memo, int guard) {
        Integer known = memo.get(id);
        if (known != null) {
            return known;
        }
        int d = 0;
        if (guard < 100) {
            for (String p : parents.getOrDefault(id, List.of())) {
                d = Math.max(d, depth(p, parents, memo, guard + 1) + 1);
            }
        }
        memo.put(id, d);
        return d;
    }

    public int boxWidth() {
        return Lineage.BOX_W;
    }

    public int boxHeight() {
        return Lineage.BOX_H;
    }
}
