package io.tributary.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small local HTTP endpoint in the transform-service's place (the console's {@code
 * transform-url}): a test scripts its next answers, and sees what the console sent. With nothing
 * scripted it answers nothing and closes the connection, so that the other tests see the
 * transform-service down as before.
 */
public class FakeTransformService implements QuarkusTestResourceLifecycleManager {

    /** A request as the fake received it. */
    record Received(String method, String path, String authorization) {}

    /** One scripted answer; {@code hang} holds the answer until {@link #release()}. */
    private record Answer(int status, String json, boolean hang) {}

    private static final BlockingQueue<Answer> ANSWERS = new LinkedBlockingQueue<>();
    static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static volatile CountDownLatch held = new CountDownLatch(0);

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        server = LocalJsonServer.start(FakeTransformService::handle);
        return Map.of("tributary.console.transform-url", LocalJsonServer.url(server));
    }

    @Override
    public void stop() {
        release();
        if (server != null) {
            server.stop(0);
        }
    }

    /** The next request is answered {@code status} with this JSON body. */
    static void answer(int status, String json) {
        ANSWERS.add(new Answer(status, json, false));
    }

    /** The next request gets no answer until {@link #release()}. */
    static void hang() {
        held = new CountDownLatch(1);
        ANSWERS.add(new Answer(0, null, true));
    }

    static void release() {
        held.countDown();
    }

    /** Forgets what was scripted and received. */
    static void reset() {
        release();
        ANSWERS.clear();
        RECEIVED.clear();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try {
            // Only retries are scripted: the overview's health checks and the transform pages'
            // reads find it down, whenever they come.
            boolean retry = exchange.getRequestURI().getRawPath().matches("/api/runs/[^/]+/retry");
            Answer a = retry ? ANSWERS.poll() : null;
            if (a == null) {
                // Down: the connection closes without an answer.
                throw new IOException("nothing scripted for " + exchange.getRequestURI());
            }
            RECEIVED.add(
                    new Received(
                            exchange.getRequestMethod(),
                            exchange.getRequestURI().getRawPath(),
                            exchange.getRequestHeaders().getFirst("Authorization")));
            if (a.hang()) {
                held.await(30, TimeUnit.SECONDS);
                return;
            }
            LocalJsonServer.send(exchange, a.status(), a.json());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
