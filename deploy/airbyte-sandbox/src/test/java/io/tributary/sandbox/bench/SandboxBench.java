package io.tributary.sandbox.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load figures for a running sandbox (see bench.sh): creates N connections whose syncs run for
 * minutes, starts one job on each through {@code POST /jobs}, then hammers {@code GET /jobs/{id}}
 * and {@code GET /jobs?connectionId=} for a while. Prints what it measured; asserts nothing,
 * because wall-clock figures depend on the machine.
 *
 * <p>Args: origin (http://127.0.0.1:8000) connections (10000) seconds (20) concurrency (64).
 */
public final class SandboxBench {

    private static final Pattern ID =
            Pattern.compile("\"(?:connectionId|jobId)\":\"?([0-9a-f-]+)\"?");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SandboxBench() {}

    public static void main(String[] args) throws Exception {
        String origin = args.length > 0 ? args[0] : "http://127.0.0.1:8000";
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String api = origin + "/api/public/v1";

        String token =
                field(
                        send(
                                post(
                                        api + "/applications/token",
                                        "{\"client_id\":\"sandbox-client\",\"client_secret\":\"sandbox-secret\",\"grant_type\":\"client_credentials\"}",
                                        null)),
                        "access_token");

        long t0 = System.nanoTime();
        List<String> conns = new ArrayList<>();
        String script = "{\"outcome\":\"succeed\",\"after\":\"PT10M\",\"rows\":100}";
        runAll(
                connections,
                concurrency,
                i ->
                        HTTP.sendAsync(
                                        post(
                                                origin + "/sandbox/connections",
                                                "{\"name\":\"bench-"
                                                        + i
                                                        + "\",\"script\":"
                                                        + script
                                                        + "}",
                                                null),
                                        HttpResponse.BodyHandlers.ofString())
                                .thenAccept(
                                        r -> {
                                            synchronized (conns) {
                                                conns.add(id(r.body()));
                                            }
                                        }));
        System.out.printf("created %d connections in %.1f s%n", conns.size(), secs(t0));

        long t1 = System.nanoTime();
        List<String> jobs = new ArrayList<>();
        AtomicLong createErrors = new AtomicLong();
        runAll(
                conns.size(),
                concurrency,
                i ->
                        HTTP.sendAsync(
                                        post(
                                                api + "/jobs",
                                                "{\"connectionId\":\""
                                                        + conns.get(i)
                                                        + "\",\"jobType\":\"sync\"}",
                                                token),
                                        HttpResponse.BodyHandlers.ofString())
                                .thenAccept(
                                        r -> {
                                            if (r.statusCode() != 200) {
                                                createErrors.incrementAndGet();
                                                return;
                                            }
                                            synchronized (jobs) {
                                                jobs.add(id(r.body()));
                                            }
                                        }));
        double createSecs = secs(t1);
        System.out.printf(
                "started %d concurrent jobs (errors %d) in %.1f s = %.0f POST /jobs per s%n",
                jobs.size(), createErrors.get(), createSecs, jobs.size() / createSecs);

        // Steady state: what a monitor polling every running job does.
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Semaphore inFlight = new Semaphore(concurrency);
        long t2 = System.nanoTime();
        long sent = 0;
        while (System.nanoTime() < end) {
            inFlight.acquire();
            int i = (int) (sent++ % jobs.size());
            String url =
                    i % 4 == 0
                            ? api
                                    + "/jobs?connectionId="
                                    + conns.get(i)
                                    + "&orderBy=createdAt%7CDESC&limit=5"
                            : api + "/jobs/" + jobs.get(i);
            long start = System.nanoTime();
            HTTP.sendAsync(get(url, token), HttpResponse.BodyHandlers.discarding())
                    .whenComplete(
                            (r, e) -> {
                                if (e != null || r.statusCode() != 200) {
                                    errors.incrementAndGet();
                                }
                                latencies.add(System.nanoTime() - start);
                                inFlight.release();
                            });
        }
        inFlight.acquire(concurrency);
        double pollSecs = secs(t2);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "polled %d requests in %.1f s = %.0f req/s, errors %d, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                sorted.length,
                pollSecs,
                sorted.length / pollSecs,
                errors.get(),
                pct(sorted, 50),
                pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        String running = send(get(api + "/jobs?status=running&limit=1", token));
        System.out.println("a running job after the run: " + running);
    }

    private interface Call {
        CompletableFuture<?> start(int i);
    }

    private static void runAll(int count, int concurrency, Call call) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            call.start(i).whenComplete((r, e) -> inFlight.release());
        }
        inFlight.acquire(concurrency);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String id(String body) {
        Matcher m = ID.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + body);
        }
        return m.group(1);
    }

    private static String field(String body, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + body);
        }
        return m.group(1);
    }

    private static HttpRequest post(String url, String json, String token) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build();
    }

    private static String send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
