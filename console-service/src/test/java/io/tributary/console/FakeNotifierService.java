package io.tributary.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP endpoint in the notifier-service's place (the console's {@code notifier-url}), and
 * in the sync-monitor's (its {@code monitor-url}, for the connections' names). A test scripts a
 * standing answer per path and query; every other request gets a closed connection, so the owner
 * looks down. {@link #hang()} holds every request until {@link #release()}.
 */
public class FakeNotifierService implements QuarkusTestResourceLifecycleManager {

    private record Answer(int status, String json) {}

    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();

    /** The Authorization header of each request answered. */
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

    private static volatile CountDownLatch held = new CountDownLatch(0);

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", FakeNotifierService::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("tributary.console.notifier-url", url, "tributary.console.monitor-url", url);
    }

    @Override
    public void stop() {
        release();
        if (server != null) {
            server.stop(0);
        }
    }

    /** Every request for {@code pathAndQuery} is answered {@code status} with this JSON. */
    static void answer(String pathAndQuery, int status, String json) {
        ANSWERS.put(pathAndQuery, new Answer(status, json));
    }

    /** Every request waits, unanswered, until {@link #release()}. */
    static void hang() {
        held = new CountDownLatch(1);
    }

    static void release() {
        held.countDown();
    }

    /** Nothing answered: the owner is down. */
    static void reset() {
        release();
        ANSWERS.clear();
        AUTHORIZATIONS.clear();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try {
            if (!held.await(30, TimeUnit.SECONDS)) {
                return;
            }
            Answer a = ANSWERS.get(exchange.getRequestURI().toString());
            if (a == null) {
                throw new IOException("nothing scripted for " + exchange.getRequestURI());
            }
            AUTHORIZATIONS.add(
                    String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = a.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add(
                            "Content-Type",
                            a.status() >= 400 ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
