package io.tributary.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * API calls counted by endpoint and answered status. Keys look like {@code "POST /jobs 200"}; the
 * endpoint is the spec's path template without prefix ({@code "GET /jobs/{jobId}"}), and a dropped
 * connection counts as status 0.
 */
final class CallCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String endpoint, int status) {
        counts.computeIfAbsent(endpoint + " " + status, k -> new LongAdder()).increment();
    }

    long get(String endpoint, int status) {
        LongAdder a = counts.get(endpoint + " " + status);
        return a == null ? 0 : a.sum();
    }

    long total(String endpoint) {
        String prefix = endpoint + " ";
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    void reset() {
        counts.clear();
    }
}
