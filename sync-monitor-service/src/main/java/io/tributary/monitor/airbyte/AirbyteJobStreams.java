package io.tributary.monitor.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.StreamStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one job committed per stream, from the Configuration API's {@code JobInfoRead}: each
 * attempt's {@code streamStats[]} ({@code streamName}, {@code streamNamespace}, {@code
 * stats.recordsCommitted}, {@code stats.bytesCommitted}), summed over the attempts (a retried
 * attempt commits what the failed one did not).
 */
final class AirbyteJobStreams {
    private AirbyteJobStreams() {}

    private record Key(String namespace, String name) {}

    /** Empty when no attempt reported per-stream stats (unknown, not "nothing changed"). */
    static Optional<List<StreamStats>> from(JsonNode jobInfo) {
        Map<Key, long[]> sums = new LinkedHashMap<>();
        Map<Key, boolean[]> unknown = new LinkedHashMap<>();
        boolean reported = false;
        for (JsonNode attempt : jobInfo.path("attempts")) {
            JsonNode stats = attempt.path("attempt").path("streamStats");
            if (!stats.isArray()) {
                continue;
            }
            reported = true;
            for (JsonNode stream : stats) {
                String name = text(stream.path("streamName"));
                if (name == null) {
                    continue;
                }
                Key key = new Key(text(stream.path("streamNamespace")), name);
                long[] sum = sums.computeIfAbsent(key, k -> new long[2]);
                boolean[] missing = unknown.computeIfAbsent(key, k -> new boolean[2]);
                add(stream.path("stats").path("recordsCommitted"), sum, missing, 0);
                add(stream.path("stats").path("bytesCommitted"), sum, missing, 1);
            }
        }
        if (!reported) {
            return Optional.empty();
        }
        List<StreamStats> streams = new ArrayList<>();
        sums.forEach(
                (key, sum) -> {
                    boolean[] missing = unknown.get(key);
                    streams.add(
                            new StreamStats(
                                    key.namespace(),
                                    key.name(),
                                    missing[0] ? null : sum[0],
                                    missing[1] ? null : sum[1]));
                });
        return Optional.of(streams);
    }

    private static void add(JsonNode value, long[] sum, boolean[] missing, int i) {
        if (value.isIntegralNumber()) {
            sum[i] += value.asLong();
        } else {
            missing[i] = true;
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !Objects.requireNonNull(node.asText()).isEmpty()
                ? node.asText()
                : null;
    }
}
