package io.tributary.transform.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the dbt Cloud Administrative API v2, following its documented shapes: {@code
 * POST /api/v2/accounts/{a}/jobs/{j}/run/} (body {@code cause}, answers {@code data.id}), {@code
 * GET .../runs/{r}/} ({@code data.status}: 1 queued, 3 running, 10 success, 20 error, 30 cancelled;
 * {@code status_humanized}, {@code is_complete}, {@code status_message}), {@code POST
 * .../runs/{r}/cancel/} and {@code GET .../runs/{r}/artifacts/run_results.json}. Requires {@code
 * Authorization: Token <token>}.
 *
 * <p>Job 1 succeeds after two polls with the demo project's run_results; job 2 ends in error; job 3
 * runs until it is cancelled. Faults: job 4's trigger answers 503, then 429 with {@code
 * Retry-After: 2}, then as job 1; job 5's first poll of each run hangs (until {@code POST
 * /stub/release}), then as job 1. {@code GET /stub/calls} lists the calls received ({@code ?timed}:
 * each prefixed with the epoch milliseconds it arrived at), {@code GET /stub/hanging} how many
 * calls are being held.
 */
public final class DbtCloudStub implements AutoCloseable {
    public static final String TOKEN = "dbt-cloud-stub-token-0123456789";
    private static final Pattern TRIGGER =
            Pattern.compile("/api/v2/accounts/(\\d+)/jobs/(\\d+)/run/");
    private static final Pattern RUN =
            Pattern.compile(
                    "/api/v2/accounts/(\\d+)/runs/(\\d+)/(cancel/|artifacts/run_results.json)?");

    private final HttpServer server;
    private final AtomicLong ids = new AtomicLong(7000);
    private final Map<Long, long[]> runs = new ConcurrentHashMap<>(); // run -> {job, polls, status}
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Long> callTimes = new CopyOnWriteArrayList<>();
    private final AtomicInteger job4Triggers = new AtomicInteger();
    private final AtomicInteger hanging = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    private DbtCloudStub(HttpServer server) {
        this.server = server;
    }

    public static DbtCloudStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DbtCloudStub stub = new DbtCloudStub(server);
            server.createContext("/", stub::handle);
            // A call held by a fault must not hold the others (the retry of that same call).
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/stub/calls")) {
            boolean timed = "timed".equals(ex.getRequestURI().getQuery());
            List<String> listed = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                listed.add("\"" + (timed ? callTimes.get(i) + " " : "") + calls.get(i) + "\"");
            }
            send(ex, 200, "[" + String.join(",", listed) + "]");
            return;
        }
        if (path.equals("/stub/hanging")) {
            send(ex, 200, Integer.toString(hanging.get()));
            return;
        }
        if (path.equals("/stub/release")) {
            release.countDown();
            send(ex, 200, "{}");
            return;
        }
        synchronized (calls) {
            callTimes.add(System.currentTimeMillis());
            calls.add(method + " " + path);
        }
        if (!("Token " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(
                    ex,
                    401,
                    "{\"status\":{\"code\":401,\"is_success\":false,\"user_message\":\"Invalid token\"}}");
            return;
        }
        Matcher trigger = TRIGGER.matcher(path);
        if (method.equals("POST") && trigger.matches()) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.contains("\"cause\"")) {
                send(
                        ex,
                        400,
                        "{\"status\":{\"code\":400,\"is_success\":false,\"user_message\":\"cause is required\"}}");
                return;
            }
            long job = Long.parseLong(trigger.group(2));
            if (job == 4) {
                int attempt = job4Triggers.incrementAndGet();
                if (attempt == 1) {
                    send(ex, 503, "{\"status\":{\"code\":503,\"is_success\":false}}");
                    return;
                }
                if (attempt == 2) {
                    ex.getResponseHeaders().set("Retry-After", "2");
                    send(ex, 429, "{\"status\":{\"code\":429,\"is_success\":false}}");
                    return;
                }
            }
            long id = ids.incrementAndGet();
            runs.put(id, new long[] {job, 0, 1});
            send(
                    ex,
                    200,
                    "{\"status\":{\"code\":200,\"is_success\":true},\"data\":{\"id\":"
                            + id
                            + ",\"job_definition_id\":"
                            + trigger.group(2)
                            + ",\"status\":1,\"status_humanized\":\"Queued\"}}");
            return;
        }
        Matcher run = RUN.matcher(path);
        if (!run.matches() || !runs.containsKey(Long.parseLong(run.group(2)))) {
            send(
                    ex,
                    404,
                    "{\"status\":{\"code\":404,\"is_success\":false,\"user_message\":\"Not found\"}}");
            return;
        }
        long id = Long.parseLong(run.group(2));
        long[] state = runs.get(id);
        String action = run.group(3);
        if ("cancel/".equals(action) && method.equals("POST")) {
            state[2] = 30;
            send(ex, 200, runJson(id, state));
        } else if (action != null && action.startsWith("artifacts/")) {
            if (state[2] != 10 && state[2] != 20) {
                send(ex, 404, "{\"status\":{\"code\":404,\"is_success\":false}}");
                return;
            }
            try (InputStream in =
                    DbtCloudStub.class.getResourceAsStream(
                            state[0] != 2
                                    ? "/dbt-fixtures/run_results-ok.json"
                                    : "/dbt-fixtures/run_results-test-failures.json")) {
                send(ex, 200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } else if (action == null && method.equals("GET")) {
            if (state[0] == 5 && state[1] == 0) {
                state[1]++;
                hanging.incrementAndGet();
                try {
                    release.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    hanging.decrementAndGet();
                }
                send(ex, 200, runJson(id, state));
                return;
            }
            state[1]++;
            if (state[2] < 10) {
                long job = state[0];
                if ((job == 1 || job == 4 || job == 5) && state[1] >= 2) {
                    state[2] = 10;
                } else if (job == 2 && state[1] >= 2) {
                    state[2] = 20;
                } else {
                    state[2] = 3;
                }
            }
            send(ex, 200, runJson(id, state));
        } else {
            send(ex, 405, "{}");
        }
    }

    private static String runJson(long id, long[] state) {
        int status = (int) state[2];
        String humanized =
                switch (status) {
                    case 1 -> "Queued";
                    case 3 -> "Running";
                    case 10 -> "Success";
                    case 20 -> "Error";
                    default -> "Cancelled";
                };
        boolean complete = status >= 10;
        return "{\"status\":{\"code\":200,\"is_success\":true},\"data\":{\"id\":"
                + id
                + ",\"job_definition_id\":"
                + state[0]
                + ",\"status\":"
                + status
                + ",\"status_humanized\":\""
                + humanized
                + "\",\"in_progress\":"
                + !complete
                + ",\"is_complete\":"
                + complete
                + ",\"is_success\":"
                + (status == 10)
                + ",\"is_error\":"
                + (status == 20)
                + ",\"is_cancelled\":"
                + (status == 30)
                + ",\"status_message\":"
                + (status == 20 ? "\"Database Error in model stg_orders\"" : "null")
                + "}}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
