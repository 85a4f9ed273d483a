package io.tributary.trigger.kafka;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.EventIds;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.trigger.definition.Definitions;
import io.tributary.trigger.definition.KafkaTriggerDefinition;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns matching external records into sync requests, at most one per (trigger, connection) per
 * minimum interval. The interval state lives in PostgreSQL ({@code kafka_trigger_throttle}), so it
 * holds across restarts and between instances; the requests go to the outbox in the same
 * transaction, so once {@link #accept} returns they are durable and the record's offset may be
 * committed. The first record held back during an interval is remembered ({@code pending_detail})
 * and {@link #sweep()} requests one trailing sync when the interval ends: the last changes of a
 * flood are synced too.
 */
@ApplicationScoped
public class KafkaThrottle {
    private static final int SWEEP_BATCH = 200;

    @Inject KafkaTriggerThrottleRepository throttles;
    @Inject Definitions definitions;
    @Inject SyncRequestPublisher publisher;

    /**
     * What one runner already knows about its connections' intervals: records inside a known
     * interval whose hold-back is already recorded skip the database.
     */
    static final class Cache {
        private final Map<String, Instant> quietUntil = new HashMap<>();
        private final Map<String, Boolean> pendingRecorded = new HashMap<>();

        boolean skip(String connectionId, Instant now) {
            Instant until = quietUntil.get(connectionId);
            return until != null
                    && now.isBefore(until)
                    && pendingRecorded.getOrDefault(connectionId, false);
        }

        void requested(String connectionId, Instant until) {
            quietUntil.put(connectionId, until);
            pendingRecorded.put(connectionId, false);
        }

        void held(String connectionId, Instant until) {
            quietUntil.put(connectionId, until);
            pendingRecorded.put(connectionId, true);
        }
    }

    /**
     * Decides one matching record: the requests it causes are in the outbox when this returns.
     *
     * @return the requests written (empty when every connection is inside its interval)
     */
    List<SyncRequested> accept(
            KafkaTriggerDefinition def, String topic, int partition, long offset, Cache cache) {
        Instant now = Instant.now();
        List<String> candidates = new ArrayList<>();
        for (String connection : def.connectionIds()) {
            if (!cache.skip(connection, now)) {
                candidates.add(connection);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        String detail = topic + "/" + partition + "/" + offset;
        long intervalMs = def.minInterval().toMillis();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            List<SyncRequested> requests = new ArrayList<>();
                            for (String connection : candidates) {
                                if (intervalMs == 0) {
                                    requests.add(request(def, connection, detail));
                                } else if (throttles.claim(def.id(), connection, intervalMs)) {
                                    requests.add(request(def, connection, detail));
                                    cache.requested(connection, now.plusMillis(intervalMs));
                                } else {
                                    Instant last =
                                            throttles.hold(
                                                    def.id(), connection, intervalMs, detail);
                                    cache.held(connection, last.plusMillis(intervalMs));
                                }
                            }
                            publisher.add(requests);
                            return requests;
                        });
    }

    /**
     * Requests the trailing syncs whose interval ended with records held back (any instance may run
     * it: rows are locked with {@code skip locked}).
     *
     * @return how many requests went to the outbox
     */
    public int sweep() {
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            List<SyncRequested> requests = new ArrayList<>();
                            for (KafkaTriggerThrottleEntity row :
                                    throttles.lockTrailing(SWEEP_BATCH)) {
                                Optional<KafkaTriggerDefinition> def =
                                        definitions.kafkaTrigger(row.triggerId);
                                boolean still =
                                        def.isPresent()
                                                && def.get().isEnabled()
                                                && def.get()
                                                        .connectionIds()
                                                        .contains(row.connectionId);
                                if (still) {
                                    requests.add(
                                            request(
                                                    def.get(),
                                                    row.connectionId,
                                                    row.pendingDetail));
                                }
                                throttles.clearPending(row.triggerId, row.connectionId, still);
                            }
                            publisher.add(requests);
                            return requests.size();
                        });
    }

    /**
     * The request for one record and connection: its id derives from the record's coordinates, so a
     * record read again (a crash before the offset commit) yields the same {@code ce_id}.
     */
    static SyncRequested request(KafkaTriggerDefinition def, String connection, String detail) {
        String requestId =
                EventIds.derive("kafka", def.id(), detail, connection, def.jobType().wire());
        return new SyncRequested(
                requestId,
                connection,
                def.jobType(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                new Trigger(TriggerKind.KAFKA, def.id(), detail),
                requestId);
    }
}
