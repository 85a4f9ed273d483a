package io.tributary.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
        server = LocalJsonServer.start(FakeNotifierService::handle);
        String url = LocalJsonServer.url(server);
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
            LocalJsonServer.send(exchange, a.status(), a.json());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
