package io.tributary.notifier.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A real HTTP receiver on 127.0.0.1 (JDK HttpServer) that records every request and answers with
 * scripted responses per path (200 once the script is used up).
 */
public final class Receiver implements AutoCloseable {

    public record Request(
            String path, Map<String, String> headers, byte[] body, long receivedAtMillis) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply of(int status) {
            return new Reply(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Reply>> scripts = new ConcurrentHashMap<>();

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(
                "/",
                exchange -> {
                    byte[] body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    Map<String, String> headers =
                            exchange.getRequestHeaders().entrySet().stream()
                                    .collect(
                                            Collectors.toMap(
                                                    e ->
                                                            e.getKey()
                                                                    .toLowerCase(
                                                                            java.util.Locale.ROOT),
                                                    e -> e.getValue().get(0),
                                                    (a, b) -> a));
                    String path = exchange.getRequestURI().getPath();
                    requests.add(new Request(path, headers, body, System.currentTimeMillis()));
                    ConcurrentLinkedQueue<Reply> script = scripts.get(path);
                    Reply reply = script == null ? null : script.poll();
                    if (reply == null) {
                        reply = new Reply(200, Map.of(), "ok");
                    }
                    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(out);
                    }
                });
        server.start();
    }

    /** {@code http://localhost:<port><path>} (localhost is on the test allow-list). */
    public String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next requests to {@code path} get these replies, in order. */
    public void script(String path, Reply... replies) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(replies));
    }

    public List<Request> requests(String path) {
        List<Request> result = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                result.add(r);
            }
        }
        return result;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
