package io.tributary.trigger.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import io.tributary.events.SyncRequested;
import io.tributary.events.TriggerKind;
import io.tributary.support.ApiException;
import io.tributary.support.outbox.Outbox;
import io.tributary.support.outbox.OutboxRepository;
import io.tributary.trigger.TriggerMetrics;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.webhook.ReceivedDeliveryEntity;
import io.tributary.trigger.webhook.ReceivedDeliveryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
    private static final long MAX_PAUSE_MS = 50;

    @Inject Outbox outbox;
    @Inject OutboxRepository outboxEvents;
    @Inject ReceivedDeliveryRepository deliveries;
    @Inject Event<Stored> stored;
    @Inject TriggerMetrics metrics;
    @Inject TriggerConfig config;

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
     * @throws ApiException 503 when Kafka did not acknowledge within the publish timeout
     */
    public Outcome publishOnce(String scope, String deliveryId, List<SyncRequested> requests) {
        long start = System.nanoTime();
        List<String> ids = requests.stream().map(SyncRequested::requestId).toList();
        ReceivedDeliveryEntity.Key key = new ReceivedDeliveryEntity.Key(scope, deliveryId);
        Outcome stored =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    if (deliveries.storeIfNew(scope, deliveryId, ids)) {
                                        add(requests);
                                        return new Outcome(ids, false);
                                    }
                                    ReceivedDeliveryEntity row = deliveries.findById(key);
                                    return new Outcome(
                                            row.requestIdList(),
                                            ReceivedDeliveryEntity.DONE.equals(row.status));
                                });
        if (stored.duplicate()) {
            return stored;
        }
        awaitAcknowledged(stored.requestIds(), start);
        boolean first =
                QuarkusTransaction.requiringNew().call(() -> deliveries.confirm(scope, deliveryId));
        return new Outcome(stored.requestIds(), !first);
    }

    /**
     * Requests that are not one delivery (an API call without an Idempotency-Key), answered once
     * Kafka acknowledged them.
     *
     * @throws ApiException 503 when Kafka did not acknowledge within the publish timeout
     */
    public List<String> publish(List<SyncRequested> requests) {
        long start = System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> add(requests));
        List<String> ids = requests.stream().map(SyncRequested::requestId).toList();
        awaitAcknowledged(ids, start);
        return ids;
    }

    /** Waits until the relay has published every one of these ids, up to the publish timeout. */
    private void awaitAcknowledged(List<String> ids, long start) {
        Duration timeout = config.publishTimeout();
        long deadline = start + timeout.toNanos();
        long pauseMs = 2;
        while (true) {
            long waiting =
                    QuarkusTransaction.requiringNew()
                            .call(
                                    () ->
                                            outboxEvents.count(
                                                    "ceId in ?1 and publishedAt is null", ids));
            if (waiting == 0) {
                metrics.acknowledged(Duration.ofNanos(System.nanoTime() - start));
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw ApiException.unavailable(
                        "Kafka did not acknowledge the request within "
                                + timeout.toSeconds()
                                + " s; it is stored and will be sent once Kafka is back (retry"
                                + " with the same delivery id or Idempotency-Key to confirm)");
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted; retry later");
            }
            pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
        }
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
