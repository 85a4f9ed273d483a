package io.tributary.support.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.DurableSend;
import io.tributary.events.EventType;
import io.tributary.support.Traces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox in store order: claims a batch ({@code for update skip locked}, under this
 * database's relay lock so one relay runs at a time), sends it on the {@code outbox} channel (each
 * record on its type's topic), waits for Kafka's acknowledgements and marks the batch published in
 * the same transaction. A failure rolls the batch back: it is sent again, with the same ids.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject OutboxRepository repository;
    @Inject OutboxConfig config;
    @Inject MeterRegistry registry;
    @Inject Event<OutboxPublished> publishedEvents;

    @Channel("outbox")
    Emitter<byte[]> emitter;

    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "outbox-relay");
                        t.setDaemon(true);
                        return t;
                    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean stopped;
    private Counter published;

    void start(@Observes StartupEvent event) {
        published =
                Counter.builder("tributary.outbox.published")
                        .description("Events the outbox relay published (acknowledged by Kafka)")
                        .register(registry);
        Gauge.builder("tributary.outbox.pending", pending, AtomicLong::get)
                .description(
                        "Events stored and not yet acknowledged by Kafka (looked at every interval)")
                .register(registry);
        wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        worker.shutdown();
    }

    /** Asks for a relay run soon; runs requested while one waits are one run. */
    public void wake() {
        if (!stopped && queued.compareAndSet(false, true)) {
            worker.execute(
                    () -> {
                        queued.set(false);
                        relay();
                    });
        }
    }

    @Scheduled(
            every = "${tributary.outbox.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        wake();
        // Counted here, not after each relay run: under load the relay runs hundreds of times a
        // second and a count per run would cost as much as the batch it follows.
        try {
            pending.set(QuarkusTransaction.requiringNew().call(repository::pending));
        } catch (RuntimeException e) {
            LOG.debugf("outbox: cannot count pending events: %s", e.toString());
        }
    }

    @Scheduled(every = "1h", delayed = "1m")
    void purge() {
        Instant before = Instant.now().minus(config.retention());
        long removed =
                QuarkusTransaction.requiringNew()
                        .call(() -> repository.purgePublishedBefore(before));
        if (removed > 0) {
            LOG.debugf("outbox: removed %d published event(s)", removed);
        }
    }

    /**
     * Publishes until nothing waits, Kafka fails or another instance relays.
     *
     * @return how many events Kafka acknowledged
     */
    public synchronized int relay() {
        int total = 0;
        try {
            while (!stopped) {
                List<String> sent = relayBatch();
                total += sent.size();
                if (!sent.isEmpty()) {
                    publishedEvents.fire(new OutboxPublished(sent));
                }
                if (sent.size() < config.batch()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay paused, retried in %s: %s", config.interval(), e.toString());
        }
        return total;
    }

    /** Publishes one batch; returns the ids committed as published (empty when none waited). */
    private List<String> relayBatch() {
        long timeout = config.ackTimeout().toSeconds() + 30;
        return QuarkusTransaction.requiringNew()
                .timeout((int) timeout)
                .call(
                        () -> {
                            if (!repository.tryRelayLock()) {
                                return List.<String>of();
                            }
                            List<OutboxEvent> batch = repository.claim(config.batch());
                            if (batch.isEmpty()) {
                                return List.<String>of();
                            }
                            send(batch);
                            repository.markPublished(
                                    batch.stream().map(e -> e.seq).toList(), Instant.now());
                            published.increment(batch.size());
                            return batch.stream().map(e -> e.ceId).toList();
                        });
    }

    /** Sends the whole batch at once, then waits for every acknowledgement; throws on any loss. */
    private void send(List<OutboxEvent> batch) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
        for (OutboxEvent e : batch) {
            EventType type =
                    EventType.fromType(e.ceType)
                            .orElseThrow(
                                    () -> new IllegalStateException("unknown ce_type " + e.ceType));
            Message<byte[]> message =
                    CloudEventKafka.message(
                            type,
                            e.ceId,
                            e.subject,
                            e.data.getBytes(StandardCharsets.UTF_8),
                            e.source,
                            e.time);
            try (var trace = Traces.restore(e.traceparent)) {
                acks.add(
                        DurableSend.send(emitter, Traces.withCurrent(message))
                                .toCompletableFuture());
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not acknowledge: " + e.getMessage(), e);
        }
    }
}
