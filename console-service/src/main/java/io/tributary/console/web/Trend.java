package io.tributary.console.web;

import io.tributary.console.run.HistoryRepository.Ending;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a connection's syncs or a transform's dbt runs went lately: last one, success rate, charts.
 */
public record Trend(Ending last, String successRate, Sparkline durations, Sparkline rows) {

    /** {@code endings} newest first (null: none). */
    public static Trend of(List<Ending> endings) {
        List<Ending> recent = endings == null ? List.of() : endings;
        List<Ending> oldestFirst = new ArrayList<>(recent);
        Collections.reverse(oldestFirst);
        long ok = recent.stream().filter(e -> e.status().equals("succeeded")).count();
        Ending last = recent.isEmpty() ? null : recent.get(0);
        return new Trend(
                last,
                recent.isEmpty()
                        ? "–"
                        : Math.round(100.0 * ok / recent.size()) + " % of " + recent.size(),
                Sparkline.of(
                        oldestFirst.stream()
                                .map(e -> e.duration() == null ? null : e.duration().toMillis())
                                .toList(),
                        last == null || last.duration() == null
                                ? ""
                                : Formats.human(last.duration())),
                Sparkline.of(
                        oldestFirst.stream().map(Ending::rows).toList(),
                        last == null || last.rows() == null ? "" : last.rows() + " rows"));
    }
}
