package io.tributary.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.delivery.DeliveryRepository;
import io.tributary.notifier.delivery.DeliverySender;
import io.tributary.notifier.delivery.DeliveryWorker;
import io.tributary.notifier.support.Api;
import io.tributary.notifier.support.Events;
import io.tributary.notifier.support.Receiver;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pending deliveries survive the sender: they live in PostgreSQL only. The test stops this
 * instance's sender, lets events pile up as pending rows, simulates a sender that died holding a
 * claim on some of them (a lease that never ends in a recorded attempt), then starts two fresh
 * workers at once — the process after a restart, and a second replica — and checks that every
 * message reached the receiver exactly once.
 */
@QuarkusTest
class RestartTest {
    static final Duration WAIT = Duration.ofSeconds(90);

    @InjectInfrastructure Infrastructure infra;
    @Inject DeliverySender sender;
    @Inject DeliveryRepository deliveries;
    @Inject Scheduler scheduler;
    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void pendingDeliveriesAreSentExactlyOnceAfterARestart() throws Exception {
        String path = "/restart/" + UUID.randomUUID();
        List<String> connections = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            connections.add(UUID.randomUUID().toString());
        }
        String subscription =
                Api.subscribe(
                        "restart-" + UUID.randomUUID(),
                        List.of("io.tributary.sync.failed"),
                        Map.of("connections", connections),
                        "webhook",
                        Map.of("url", receiver.url(path)));
        scheduler.pause(DeliverySender.IDENTITY);
        Thread.sleep(1500); // a tick that was running finishes
        List<DeliveryWorker> workers = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            try (Events events = new Events(infra.kafkaBootstrapServers())) {
                for (String connection : connections) {
                    events.send(Events.syncFailed(connection, 1, "x"));
                }
            }
            await().atMost(WAIT).until(() -> Api.deliveries(subscription).size() == 6);
            assertThat(Api.deliveries(subscription))
                    .extracting(d -> d.get("status"))
                    .containsOnly("pending");
            assertThat(receiver.requests(path)).isEmpty();

            // The sender that "crashed": it claimed two rows (lease 5 s) and never came back.
            Instant now = Instant.now();
            List<Delivery> orphaned =
                    QuarkusTransaction.requiringNew()
                            .call(
                                    () ->
                                            deliveries.claimDue(
                                                    now, now.plusSeconds(5), "crashed:1", 2));
            assertThat(orphaned).hasSize(2);

            // After the restart: two workers race for the same rows.
            List<Thread> threads = new ArrayList<>();
            for (String name : List.of("restarted", "replica")) {
                DeliveryWorker worker = sender.newWorker(name);
                workers.add(worker);
                Thread t =
                        new Thread(
                                () -> {
                                    while (running.get()) {
                                        worker.runOnce();
                                        try {
                                            Thread.sleep(100);
                                        } catch (InterruptedException e) {
                                            return;
                                        }
                                    }
                                });
                t.start();
                threads.add(t);
            }
            await().atMost(WAIT)
                    .until(
                            () ->
                                    Api.deliveries(subscription).stream()
                                            .allMatch(d -> "delivered".equals(d.get("status"))));
            // Anything duplicated would show up within this window: still exactly six requests.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> receiver.requests(path).size() == 6);
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        } finally {
            running.set(false);
            workers.forEach(DeliveryWorker::close);
            scheduler.resume(DeliverySender.IDENTITY);
        }
        List<Receiver.Request> requests = receiver.requests(path);
        assertThat(requests).hasSize(6);
        assertThat(requests.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(6);
        assertThat(Api.deliveries(subscription)).extracting(d -> d.get("attempts")).containsOnly(1);
    }
}
