package io.tributary.trigger.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.SyncRequested;
import io.tributary.events.TriggerKind;
import io.tributary.support.ApiException;
import io.tributary.support.BoundedCalls;
import io.tributary.support.outbox.Outbox;
import io.tributary.support.outbox.OutboxPublished;
import io.tributary.support.outbox.OutboxRepository;
import io.tributary.trigger.TriggerMetrics;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.webhook.ReceivedDeliveryEntity;
import io.tributary.trigger.webhook.ReceivedDeliveryRepository;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Publishes {@code io.tributary.sync.requested} events through the outbox, the request id as the
 * stable {@code ce_id} and the connection as key, so "reset then sync" of a connection keeps its
 * order.
 *
 * <ul>
 *   <li>{@link #add}: in the transaction of a decision (a schedule fire, a rule match, a Kafka
 *       record); the relay publishes after the commit.
 *   <li>{@link #publishOnce} and {@link #publish}: for callers that answer only after Kafka
 *       acknowledged (webhooks, the API): store in a transaction of their own, then wait for the
 *       relay's acknowledgement up to the publish timeout, else 503. What is stored is published in
 *       any case, so a sender's retry after a 503 finds it and is answered once it is out.
 * </ul>
 */
@ApplicationScoped
public class SyncRequestPublisher {
    static final String SOURCE = CloudEventKafka.source("trigger-service");
    private static final Logger LOG = Logger.getLogger(SyncRequestPublisher.class);

    /**
     * This instance's relay answers waiters at once ({@link #onPublished}); the outbox is looked at
     * only for what another instance's relay published, so not often.
     */
    private static final long WATCH_MS = 50;

    private static final int WATCH_BATCH = 500;

    @Inject Outbox outbox;
    @Inject OutboxRepository outboxEvents;
    @Inject ReceivedDeliveryRepository deliveries;
    @Inject Event<Stored> stored;
    @Inject TriggerMetrics metrics;
    @Inject TriggerConfig config;
    @Inject BoundedCalls bounded;

    private static final String DATABASE = "the database";

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    private final ExecutorService watcher =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "sync-request-acks");
                        t.setDaemon(true);
                        return t;
                    });
    private final ExecutorService reopener =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "delivery-reopen");
                        t.setDaemon(true);
                        return t;
                    });
    private boolean watching;

    /**
     * Deliveries that arrive together are stored in one transaction: under load, one commit for
     * many deliveries instead of one each.
     */
    private final GroupCommit<Claim> claims =
            new GroupCommit<>("delivery-claims", DATABASE, BoundedCalls.MAX_RUNNING, 64);

    /** The answer to a caller: the request ids, and whether a caller had them confirmed before. */
    public record Outcome(List<String> requestIds, boolean duplicate) {}

    /**
     * Stores the requests in the caller's transaction (required); a request id stored before is
     * kept as it is.
     */
    public void add(List<SyncRequested> requests) {
        List<SyncRequested> added = new ArrayList<>();
        for (SyncRequested r : requests) {
            if (outbox.add(EventType.SYNC_REQUESTED, r.requestId(), r.connectionId(), r, SOURCE)) {
                added.add(r);
            }
        }
        if (!added.isEmpty()) {
            countOnCommit(added);
        }
    }

    /**
     * The requests of one delivery (a webhook delivery id, an Idempotency-Key), stored once per
     * (scope, delivery id) and answered once Kafka acknowledged them: the first call to see them
     * acknowledged is the one not marked duplicate.
     *
     * <p>One transaction on the usual path: the delivery is stored already marked answered, since
     * its first caller nearly always is; only when that caller gives up (503) is the mark taken
     * back, so the sender's retry is the one answered 202.
     *
     * @throws ApiException 503 when Kafka did not acknowledge within the publish timeout
     */
    public Outcome publishOnce(String scope, String deliveryId, List<SyncRequested> requests) {
        return publishOnce(scope, deliveryId, requests, System.nanoTime());
    }

    /**
     * As {@link #publishOnce(String, String, List)} for a call that started at {@code start} (a
     * {@link System#nanoTime()} value): answered within the publish timeout from then, also when
     * the database does not answer.
     */
    public Outcome publishOnce(
            String scope, String deliveryId, List<SyncRequested> requests, long start) {
        List<String> ids = requests.stream().map(SyncRequested::requestId).toList();
        Claim claim =
                claims.call(
                        deadline(start),
                        () -> claim(scope, deliveryId, ids, requests),
                        late -> {
                            // Stored after its caller was told 503: its retry is the first.
                            if (late.first()) {
                                reopen(scope, deliveryId);
                            }
                        });
        if (!claim.unpublished().isEmpty()) {
            try {
                awaitAcknowledged(claim.unpublished(), start);
            } catch (ApiException e) {
                if (claim.first()) {
                    reopen(scope, deliveryId);
                }
                throw e;
            }
        }
        if (!claim.reopened()) {
            return new Outcome(claim.requestIds(), !claim.first());
        }
        boolean first =
                bounded.call(
                        deadline(start),
                        DATABASE,
                        () ->
                                QuarkusTransaction.requiringNew()
                                        .call(() -> deliveries.confirm(scope, deliveryId)));
        return new Outcome(claim.requestIds(), !first);
    }

    /**
     * What one call found: {@code first} when it stored the delivery, {@code reopened} when an
     * earlier caller gave up before any was answered, the ids still to be acknowledged.
     */
    private record Claim(
            List<String> requestIds, boolean first, boolean reopened, List<String> unpublished) {}

    private Claim claim(
            String scope, String deliveryId, List<String> ids, List<SyncRequested> requests) {
        if (deliveries.storeIfNew(scope, deliveryId, ids)) {
            add(requests);
            return new Claim(ids, true, false, ids);
        }
        ReceivedDeliveryEntity row =
                deliveries.findById(new ReceivedDeliveryEntity.Key(scope, deliveryId));
        List<String> stored = row.requestIdList();
        return new Claim(
                stored,
                false,
                ReceivedDeliveryEntity.PENDING.equals(row.status),
                outboxEvents.unpublished(stored));
    }

    /**
     * The first caller gave up: its sender's retry is to be answered as the first. In the
     * background, so the 503 is not delayed by a database that is slow too.
     */
    private void reopen(String scope, String deliveryId) {
        reopener.execute(
                () -> {
                    try {
                        QuarkusTransaction.requiringNew()
                                .run(() -> deliveries.reopen(scope, deliveryId));
                    } catch (RuntimeException e) {
                        // The database is gone too: the retry is answered 200 "duplicate", not 202.
                        LOG.debugf("cannot reopen delivery %s: %s", deliveryId, e.toString());
                    }
                });
    }

    /** When a call that started at {@code start} is answered at the latest. */
    private long deadline(long start) {
        return start + config.publishTimeout().toNanos();
    }

    /**
     * Requests that are not one delivery (an API call without an Idempotency-Key), answered once
     * Kafka acknowledged them.
     *
     * @throws ApiException 503 when Kafka did not acknowledge within the publish timeout
     */
    public List<String> publish(List<SyncRequested> requests) {
        long start = System.nanoTime();
        bounded.call(
                deadline(start),
                DATABASE,
                () ->
                        QuarkusTransaction.requiringNew()
                                .call(
                                        () -> {
                                            add(requests);
                                            return null;
                                        }));
        List<String> ids = requests.stream().map(SyncRequested::requestId).toList();
        awaitAcknowledged(ids, start);
        return ids;
    }

    /**
     * Waits until the relay has published every one of these ids, up to the publish timeout: told
     * at once by this instance's relay; for another instance's, one watcher thread looks at the
     * outbox for all waiting callers at once.
     */
    private void awaitAcknowledged(List<String> ids, long start) {
        Duration timeout = config.publishTimeout();
        long deadline = start + timeout.toNanos();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String id : ids) {
            // Atomic per id with the watcher's removals: a waiter is never extended once dropped.
            Waiter waiter =
                    waiting.compute(
                            id,
                            (k, w) -> {
                                Waiter live = w == null ? new Waiter() : w;
                                live.extend(deadline);
                                return live;
                            });
            acks.add(waiter.published);
        }
        watch();
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            metrics.acknowledged(Duration.ofNanos(System.nanoTime() - start));
        } catch (TimeoutException | ExecutionException e) {
            throw ApiException.unavailable(
                    "Kafka did not acknowledge the request within "
                            + timeout.toSeconds()
                            + " s; it is stored and will be sent once Kafka is back (retry"
                            + " with the same delivery id or Idempotency-Key to confirm)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted; retry later");
        }
    }

    /** Callers waiting for one request id; forgotten after the last one's deadline. */
    private static final class Waiter {
        final CompletableFuture<Void> published = new CompletableFuture<>();
        private long deadline;
        private boolean extended;

        /** Only inside the map's compute for this id. */
        void extend(long until) {
            if (!extended || until - deadline > 0) {
                deadline = until;
                extended = true;
            }
        }

        boolean expired(long now) {
            return now - deadline > 0;
        }
    }

    private synchronized void watch() {
        if (!watching) {
            watching = true;
            watcher.execute(this::watchLoop);
        }
    }

    private void watchLoop() {
        while (true) {
            synchronized (this) {
                if (waiting.isEmpty()) {
                    watching = false;
                    return;
                }
            }
            try {
                lookOnce();
            } catch (RuntimeException e) {
                // The database is unreachable: the callers time out with a 503.
                LOG.debugf("cannot look at the outbox: %s", e.toString());
            }
            try {
                Thread.sleep(WATCH_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                synchronized (this) {
                    watching = false;
                }
                return;
            }
        }
    }

    /** Completes the waiters whose request the relay has published; drops the expired ones. */
    private void lookOnce() {
        long now = System.nanoTime();
        for (String id : List.copyOf(waiting.keySet())) {
            waiting.computeIfPresent(id, (k, w) -> w.expired(now) ? null : w);
        }
        List<String> ids = new ArrayList<>(waiting.keySet());
        for (int from = 0; from < ids.size(); from += WATCH_BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + WATCH_BATCH));
            Set<String> unpublished =
                    new HashSet<>(
                            QuarkusTransaction.requiringNew()
                                    .call(() -> outboxEvents.unpublished(chunk)));
            for (String id : chunk) {
                if (!unpublished.contains(id)) {
                    Waiter waiter = waiting.remove(id);
                    if (waiter != null) {
                        waiter.published.complete(null);
                    }
                }
            }
        }
    }

    /** This instance's relay published these: their waiters are answered at once. */
    void onPublished(@Observes OutboxPublished published) {
        for (String id : published.ceIds()) {
            Waiter waiter = waiting.remove(id);
            if (waiter != null) {
                waiter.published.complete(null);
            }
        }
    }

    @PreDestroy
    void stop() {
        watcher.shutdownNow();
        reopener.shutdown();
        claims.stop();
    }

    /** Requests stored by one transaction, by trigger kind: counted once it commits. */
    record Stored(Map<TriggerKind, Long> byKind) {}

    private void countOnCommit(List<SyncRequested> added) {
        stored.fire(
                new Stored(
                        added.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                r -> r.trigger().kind(), Collectors.counting()))));
    }

    void countCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) Stored committed) {
        committed.byKind().forEach((kind, n) -> metrics.requested(kind, n.intValue()));
    }
}
