package io.tributary.notifier.delivery;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.query.NativeQuery;

/**
 * The {@code delivery} table, answering {@link Delivery} values. Every method joins the caller's
 * transaction; the claims are native SQL because {@code for update skip locked} and {@code update …
 * returning} are the point.
 */
@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<DeliveryEntity, String> {

    /** Stores a new pending delivery; false when (subscription, event) already has one. */
    public boolean insert(Delivery d) {
        String sql =
                "insert into delivery (id, subscription_id, event_id, event_type, subject, kind,"
                        + " status, events, event_count, attempts, window_until, send_after,"
                        + " created_at, traceparent, correlation_id) values (?1, ?2, ?3, ?4, ?5,"
                        + " ?6, ?7, ?8, ?9, 0, ?10, ?11, ?12, ?13, ?14) on conflict do nothing";
        return getEntityManager()
                        .createNativeQuery(sql)
                        .unwrap(NativeQuery.class)
                        .setParameter(1, d.id())
                        .setParameter(2, d.subscriptionId())
                        .setParameter(3, d.eventId())
                        .setParameter(4, d.eventType())
                        .setParameter(5, d.subject())
                        .setParameter(6, d.kind())
                        .setParameter(7, Delivery.PENDING)
                        .setParameter(8, d.events())
                        .setParameter(9, d.eventCount())
                        .setParameter(10, d.windowUntil(), Instant.class)
                        .setParameter(11, d.sendAfter(), Instant.class)
                        .setParameter(12, d.createdAt(), Instant.class)
                        .setParameter(13, d.traceparent(), String.class)
                        .setParameter(14, d.correlationId(), String.class)
                        .executeUpdate()
                == 1;
    }

    /**
     * The still-open group of a subject (pending, never claimed, window not over), locked so that a
     * sender cannot claim it while an event is folded in.
     */
    public Optional<Delivery> lockOpenGroup(
            String subscriptionId, String subject, String kind, Instant now) {
        return find(
                        "subscriptionId = :subscription and subject = :subject and kind = :kind"
                                + " and status = 'pending' and attempts = 0 and claimToken is null"
                                + " and windowUntil > :now",
                        Sort.descending("createdAt"),
                        Parameters.with("subscription", subscriptionId)
                                .and("subject", subject)
                                .and("kind", kind)
                                .and("now", now))
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .map(DeliveryEntity::toDelivery);
    }

    /** Folds one more event into an open group. */
    public void fold(String id, String events, int eventCount, String eventType) {
        update(
                "events = ?1, eventCount = ?2, eventType = ?3 where id = ?4",
                events,
                eventCount,
                eventType,
                id);
    }

    /** The latest send time of a subject's pending deliveries of a kind (to keep order). */
    public Optional<Instant> pendingUntil(String subscriptionId, String subject, String kind) {
        return Optional.ofNullable(
                getEntityManager()
                        .createQuery(
                                "select max(d.sendAfter) from DeliveryEntity d"
                                        + " where d.subscriptionId = ?1 and d.subject = ?2"
                                        + " and d.kind = ?3 and d.status = 'pending'",
                                Instant.class)
                        .setParameter(1, subscriptionId)
                        .setParameter(2, subject)
                        .setParameter(3, kind)
                        .getSingleResult());
    }

    /**
     * Claims up to {@code limit} due deliveries for one sender: rows locked by another sender are
     * skipped, and the claim lasts until {@code leaseUntil} (a sender that dies mid-send leaves the
     * row to be claimed again then).
     */
    public List<Delivery> claimDue(Instant now, Instant leaseUntil, String token, int limit) {
        return returning(
                "update delivery set send_after = ?1, claim_token = ?2 where id in (select id from"
                        + " delivery where status = 'pending' and send_after <= ?3"
                        + " order by send_after, created_at limit ?4 for update skip locked)"
                        + " returning *",
                leaseUntil,
                token,
                now,
                limit);
    }

    /**
     * Records one attempt of a claimed delivery; false when the claim was lost (the lease ran out
     * and another sender took the row).
     */
    public boolean recordAttempt(
            String id,
            String token,
            String status,
            int attempts,
            Instant attemptAt,
            Instant sendAfter,
            Integer statusCode,
            String error) {
        return update(
                        "status = :status, attempts = :attempts, lastAttemptAt = :at,"
                                + " sendAfter = :sendAfter, lastStatusCode = :code,"
                                + " lastError = :error, claimToken = null, finishedAt = :finished"
                                + " where id = :id and claimToken = :token",
                        Parameters.with("status", status)
                                .and("attempts", attempts)
                                .and("at", attemptAt)
                                .and("sendAfter", sendAfter)
                                .and("code", statusCode)
                                .and("error", error)
                                .and("finished", Delivery.PENDING.equals(status) ? null : attemptAt)
                                .and("id", id)
                                .and("token", token))
                == 1;
    }

    /** Gives a claimed delivery back without an attempt (rate limited): due again at {@code at}. */
    public void release(String id, String token, Instant at) {
        update(
                "sendAfter = ?1, claimToken = null where id = ?2 and claimToken = ?3",
                at,
                id,
                token);
    }

    /** Ends the pending deliveries of a subscription without sending (it was disabled). */
    public List<Delivery> failPending(String subscriptionId, String reason, Instant now) {
        return returning(
                "update delivery set status = 'failed', last_error = ?1, finished_at = ?2,"
                        + " claim_token = null where subscription_id = ?3 and status = 'pending'"
                        + " and kind <> 'test' returning *",
                reason,
                now,
                subscriptionId);
    }

    /**
     * Queues a failed delivery again, due now: fresh attempts (its age counts from now), same id
     * (the webhook-id), no grouping window. Empty unless it was failed — a concurrent resend or a
     * pending, claimed or delivered row is left as it is.
     */
    public Optional<Delivery> requeueFailed(String id, Instant now) {
        return returning(
                        "update delivery set status = 'pending', attempts = 0, send_after = ?1,"
                                + " window_until = null, finished_at = null, claim_token = null,"
                                + " resends = resends + 1, resent_at = ?1"
                                + " where id = ?2 and status = 'failed' returning *",
                        now,
                        id)
                .stream()
                .findFirst();
    }

    public Optional<Delivery> findDelivery(String id) {
        return findByIdOptional(id).map(DeliveryEntity::toDelivery);
    }

    /** Newest first; null arguments do not filter. */
    public List<Delivery> list(String subscriptionId, String status, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (subscriptionId != null) {
            query.append(" and subscriptionId = :subscription");
            parameters.and("subscription", subscriptionId);
        }
        if (status != null) {
            query.append(" and status = :status");
            parameters.and("status", status);
        }
        return find(query.toString(), Sort.descending("createdAt").and("id"), parameters)
                .range(0, limit - 1)
                .list()
                .stream()
                .map(DeliveryEntity::toDelivery)
                .toList();
    }

    /**
     * Runs an {@code update … returning *}. Callers run it before their transaction loads any of
     * those rows (a row the persistence context already holds would be answered as it was held).
     */
    @SuppressWarnings("unchecked")
    private List<Delivery> returning(String sql, Object... parameters) {
        var query = getEntityManager().createNativeQuery(sql, DeliveryEntity.class);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        List<DeliveryEntity> rows = query.getResultList();
        return rows.stream().map(DeliveryEntity::toDelivery).toList();
    }
}
