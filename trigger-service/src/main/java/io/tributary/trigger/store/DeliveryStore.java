package io.tributary.trigger.store;

import io.tributary.events.SyncRequested;
import io.tributary.support.ApiException;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.messaging.RequestSender;
import io.tributary.trigger.messaging.RequestSender.NotAcknowledgedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns one delivery (a webhook delivery id, an Idempotency-Key) into its sync requests exactly
 * once, across concurrent calls and instances:
 *
 * <ol>
 *   <li>claim the (scope, delivery id) row ('pending'); a second caller finds it and waits for the
 *       first one's outcome;
 *   <li>publish and wait for Kafka's acknowledgement;
 *   <li>mark it 'done' and answer 202 — or, when Kafka did not acknowledge, delete the claim and
 *       answer 503 so that the sender's retry claims it again.
 * </ol>
 *
 * Request ids are derived from the delivery, so a retry after a 503 whose first attempt reached
 * Kafka after all republishes the very same {@code ce_id}, which consumers drop.
 */
@ApplicationScoped
public class DeliveryStore {
    private static final Logger LOG = Logger.getLogger(DeliveryStore.class);

    /** The outcome: the request ids and whether this call published them. */
    public record Outcome(List<String> requestIds, boolean duplicate) {}

    private final Db db;
    private final RequestSender sender;
    private final Duration publishTimeout;
    private final Duration retention;

    @Inject
    public DeliveryStore(Db db, RequestSender sender, TriggerConfig config) {
        this.db = db;
        this.sender = sender;
        this.publishTimeout = config.publishTimeout();
        this.retention = config.deliveryRetention();
    }

    private enum Claim {
        OWNED,
        DONE,
        BUSY
    }

    /**
     * Publishes the requests once per (scope, delivery id).
     *
     * @throws ApiException 503 when Kafka did not acknowledge, or another call still holds the
     *     delivery after the publish timeout
     */
    public Outcome deliver(String scope, String deliveryId, List<SyncRequested> requests) {
        String ids = String.join(",", requests.stream().map(SyncRequested::requestId).toList());
        long deadline = System.nanoTime() + publishTimeout.plusSeconds(2).toNanos();
        while (true) {
            String[] found = new String[1];
            Claim claim = claim(scope, deliveryId, ids, found);
            if (claim == Claim.DONE) {
                return new Outcome(Arrays.asList(found[0].split(",")), true);
            }
            if (claim == Claim.OWNED) {
                try {
                    sender.sendAndAwait(requests);
                } catch (NotAcknowledgedException e) {
                    release(scope, deliveryId);
                    throw ApiException.unavailable(
                            "the request could not be recorded (Kafka unavailable); retry later");
                } catch (RuntimeException e) {
                    release(scope, deliveryId);
                    throw e;
                }
                db.tx(
                        c ->
                                Db.update(
                                        c,
                                        "update received_delivery set status = 'done' where hook_id = ? and delivery_id = ?",
                                        scope,
                                        deliveryId));
                return new Outcome(requests.stream().map(SyncRequested::requestId).toList(), false);
            }
            if (System.nanoTime() > deadline) {
                throw ApiException.unavailable("this delivery is being processed; retry later");
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted; retry later");
            }
        }
    }

    private Claim claim(String scope, String deliveryId, String ids, String[] found) {
        return db.tx(
                c -> {
                    int inserted =
                            Db.update(
                                    c,
                                    "insert into received_delivery (hook_id, delivery_id, request_ids, status, claimed_at) "
                                            + "values (?, ?, ?, 'pending', now()) on conflict do nothing",
                                    scope,
                                    deliveryId,
                                    ids);
                    if (inserted == 1) {
                        return Claim.OWNED;
                    }
                    try (PreparedStatement ps =
                            Db.prepare(
                                    c,
                                    "select status, request_ids, claimed_at, now() from received_delivery "
                                            + "where hook_id = ? and delivery_id = ? for update",
                                    scope,
                                    deliveryId)) {
                        ResultSet rs = ps.executeQuery();
                        if (!rs.next()) {
                            return Claim.BUSY; // released meanwhile: try to claim again
                        }
                        if ("done".equals(rs.getString(1))) {
                            found[0] = rs.getString(2);
                            return Claim.DONE;
                        }
                        Timestamp claimedAt = rs.getTimestamp(3);
                        Instant dbNow = rs.getTimestamp(4).toInstant();
                        // A claim older than a publish could take: its owner died. Take it over.
                        if (claimedAt
                                .toInstant()
                                .plus(publishTimeout)
                                .plusSeconds(5)
                                .isBefore(dbNow)) {
                            Db.update(
                                    c,
                                    "update received_delivery set claimed_at = now(), request_ids = ? "
                                            + "where hook_id = ? and delivery_id = ?",
                                    ids,
                                    scope,
                                    deliveryId);
                            LOG.infof(
                                    "took over the stale claim of delivery %s/%s",
                                    scope, deliveryId);
                            return Claim.OWNED;
                        }
                        return Claim.BUSY;
                    }
                });
    }

    private void release(String scope, String deliveryId) {
        try {
            db.tx(
                    c ->
                            Db.update(
                                    c,
                                    "delete from received_delivery where hook_id = ? and delivery_id = ? and status = 'pending'",
                                    scope,
                                    deliveryId));
        } catch (RuntimeException e) {
            // The claim goes stale and is taken over by the next attempt.
            LOG.warnf("could not release delivery %s/%s: %s", scope, deliveryId, e.getMessage());
        }
    }

    /** Forgets deliveries older than the retention (3 days by default). */
    public int purge(Instant now) {
        return db.tx(
                c ->
                        Db.update(
                                c,
                                "delete from received_delivery where received_at < ? and status = 'done'",
                                now.minus(retention)));
    }
}
