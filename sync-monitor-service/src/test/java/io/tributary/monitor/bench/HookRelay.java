package io.tributary.monitor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sandbox's webhook goes here first: the time it arrives is when the job ended (the sandbox
 * sends it right after the job's last transition, on the same machine), to the millisecond, where
 * Airbyte's {@code lastUpdatedAt} has whole seconds. With hints on, the body is passed on to the
 * monitor's notification endpoint unchanged; with hints off, it stops here.
 */
final class HookRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder().executor(executor).build();
    private final Map<Long, Long> endedAtMillis = new ConcurrentHashMap<>();
    private volatile URI forwardTo;

    HookRelay(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(executor);
        server.createContext(
                "/hook",
                exchange -> {
                    long now = System.currentTimeMillis();
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(202, -1);
                    exchange.close();
                    JsonNode jobId = JSON.readTree(body).path("data").path("jobId");
                    if (jobId.canConvertToLong()) {
                        endedAtMillis.putIfAbsent(jobId.asLong(), now);
                    }
                    URI target = forwardTo;
                    if (target != null) {
                        http.sendAsync(
                                HttpRequest.newBuilder(target)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Hints on: every webhook is passed on to {@code target}; null: none is. */
    void forwardTo(URI target) {
        forwardTo = target;
    }

    /** When the job's webhook arrived (epoch millis), or null. */
    Long endedAt(long jobId) {
        return endedAtMillis.get(jobId);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
