package io.tributary.trigger.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The load generator: {@code connections} threads, each sending Standard Webhooks deliveries one
 * after the other over its own keep-alive connection until {@code count} were sent. Every delivery
 * has its own {@code webhook-id} ({@code <prefix>-<n>}), so none is a duplicate.
 */
final class Load {
    private final HttpClient http;
    private final int connections;
    private final byte[] key;

    /** What one burst saw: answers by status, latencies (sorted, µs), the ids answered 202. */
    record Result(Map<Integer, Integer> statuses, long[] latenciesMicros, Set<String> accepted) {
        long pct(double p) {
            int i = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, Math.min(latenciesMicros.length - 1, i))];
        }
    }

    Load(int connections, byte[] key) {
        this.connections = connections;
        this.key = key;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newFixedThreadPool(connections))
                        .build();
    }

    HttpClient http() {
        return http;
    }

    Result fire(String url, String prefix, int count) throws InterruptedException {
        Map<String, Boolean> accepted = new ConcurrentHashMap<>();
        AtomicIntegerArray statusOf = new AtomicIntegerArray(count);
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Callable<Void>> senders = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            senders.add(
                    () -> {
                        int i;
                        while ((i = next.getAndIncrement()) < count) {
                            String id = prefix + "-" + i;
                            HttpRequest request = request(url, id, i);
                            long begin = System.nanoTime();
                            int status;
                            try {
                                status =
                                        http.send(request, HttpResponse.BodyHandlers.discarding())
                                                .statusCode();
                            } catch (Exception e) {
                                status = -1;
                            }
                            latencies[i] = (System.nanoTime() - begin) / 1000;
                            statusOf.set(i, status);
                            if (status == 202) {
                                accepted.put(id, true);
                            }
                        }
                        return null;
                    });
        }
        // invokeAll's futures make every sender's writes visible here.
        for (Future<Void> done : pool.invokeAll(senders)) {
            try {
                done.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        pool.shutdown();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            statuses.merge(statusOf.get(i), 1, Integer::sum);
        }
        Arrays.sort(latencies);
        return new Result(statuses, latencies, accepted.keySet());
    }

    private HttpRequest request(String url, String id, int n) {
        String body = "{\"type\":\"bench.event\",\"n\":" + n + "}";
        long ts = System.currentTimeMillis() / 1000;
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", sign(id, ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private String sign(String id, long ts, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signed =
                    mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
