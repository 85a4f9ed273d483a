package io.tributary.transform.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * runs until it is cancelled. {@code GET /stub/calls} lists the calls received.
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

    private DbtCloudStub(HttpServer server) {
        this.server = server;
    }

    public static DbtCloudStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DbtCloudStub stub = new DbtCloudStub(server);
            server.createContext("/", stub::handle);
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
            send(
                    ex,
                    200,
                    "["
                            + String.join(",", calls.stream().map(c -> "\"" + c + "\"").toList())
                            + "]");
            return;
        }
        calls.add(method + " " + path);
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
            long id = ids.incrementAndGet();
            runs.put(id, new long[] {Long.parseLong(trigger.group(2)), 0, 1});
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
                            state[0] == 1
                                    ? "/dbt-fixtures/run_results-ok.json"
                                    : "/dbt-fixtures/run_results-test-failures.json")) {
                send(ex, 200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } else if (action == null && method.equals("GET")) {
            state[1]++;
            if (state[2] < 10) {
                long job = state[0];
                if (job == 1 && state[1] >= 2) {
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
        server.stop(0);
    }
}
