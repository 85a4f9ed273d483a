package io.tributary.trigger.definition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Connections as nodes, rules as edges from each source to each target: a path back to where it
 * started means syncs would request each other forever.
 */
final class RuleGraph {
    private RuleGraph() {}

    /** A cycle as "a → b → a" (connection ids, with the rules in brackets), or empty. */
    static Optional<String> findCycle(List<RuleDefinition> rules) {
        Map<String, List<String[]>> edges = new HashMap<>();
        for (RuleDefinition r : rules) {
            for (String from : r.sourceConnectionIds()) {
                for (String to : r.targetConnectionIds()) {
                    edges.computeIfAbsent(from, k -> new ArrayList<>())
                            .add(new String[] {to, r.id()});
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<String> cycle = visit(start, edges, new LinkedHashSet<>(), done, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> visit(
            String node,
            Map<String, List<String[]>> edges,
            LinkedHashSet<String> onPath,
            Set<String> done,
            List<String> labels) {
        if (onPath.contains(node)) {
            List<String> nodes = new ArrayList<>(onPath);
            int from = nodes.indexOf(node);
            StringBuilder text = new StringBuilder();
            for (int i = from; i < nodes.size(); i++) {
                text.append(nodes.get(i)).append(" -[").append(labels.get(i)).append("]→ ");
            }
            return Optional.of(text.append(node).toString());
        }
        if (done.contains(node)) {
            return Optional.empty();
        }
        onPath.add(node);
        for (String[] edge : edges.getOrDefault(node, List.of())) {
            labels.add(edge[1]);
            Optional<String> cycle = visit(edge[0], edges, onPath, done, labels);
            if (cycle.isPresent()) {
                return cycle;
            }
            labels.remove(labels.size() - 1);
        }
        onPath.remove(node);
        done.add(node);
        return Optional.empty();
    }
}
