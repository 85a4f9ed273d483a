package io.tributary.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tributary.local.StandardWebhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A subscriber's endpoint: records every request it gets, per path, and whether its Standard
 * Webhooks signature checks out with the secret registered for that path. Always answers 204.
 */
final class Receiver implements AutoCloseable {
    record Received(
            String path,
            Map<String, List<String>> headers,
            byte[] body,
            boolean signatureValid,
            JsonNode json) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String type() {
            return json == null ? null : json.path("type").asText(null);
        }
    }

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        String path = exchange.getRequestURI().getPath();
                        String secret = secrets.get(path);
                        var h = exchange.getRequestHeaders();
                        boolean valid = StandardWebhooks.verify(secret, h::getFirst, body);
                        JsonNode json;
                        try {
                            json = Http.JSON.readTree(body);
                        } catch (IOException e) {
                            json = null;
                        }
                        received.add(new Received(path, Map.copyOf(h), body, valid, json));
                        exchange.sendResponseHeaders(204, -1);
                    }
                });
        server.start();
    }

    /** The URL a subscription posts to, verified with {@code secret}. */
    String endpoint(String path, String secret) {
        secrets.put(path, secret);
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
