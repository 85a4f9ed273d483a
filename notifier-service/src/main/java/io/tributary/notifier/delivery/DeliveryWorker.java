package io.tributary.notifier.delivery;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.DeliveryStatus;
import io.tributary.events.NotificationEvent;
import io.tributary.notifier.channel.AttemptResult;
import io.tributary.notifier.channel.Channel;
import io.tributary.notifier.channel.Channels;
import io.tributary.notifier.channel.Notice;
import io.tributary.notifier.channel.NoticeRenderer;
import io.tributary.notifier.channel.RateLimiter;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.messaging.NotificationEventPublisher;
import io.tributary.notifier.subscription.Subscription;
import io.tributary.notifier.subscription.SubscriptionRepository;
import io.tributary.support.Traces;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Sends due deliveries. Several workers (threads, replicas, a restarted process) may run at once:
 * each claims rows with {@code for update skip locked} and a lease, records every attempt on the
 * row it claimed (only while the claim is still its own), and, once the delivery is final, stores
 * its outcome event in the outbox in the transaction that records the outcome (the relay publishes
 * it). Each database step is its own transaction: nothing is held open while a receiver answers.
 * What a crash can cause is a second send of one message (the lease ran out after the receiver
 * accepted it but before the row was updated): at-least-once, which the generic webhook's stable
 * {@code webhook-id} lets receivers dedupe.
 */
public class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final String name;
    private final DeliveryRepository deliveries;
    private final SubscriptionRepository subscriptions;
    private final Channels channels;
    private final NoticeRenderer renderer;
    private final RateLimiter limiter;
    private final NotificationEventPublisher publisher;
    private final NotifierMetrics metrics;
    private final NotifierConfig.Delivery config;
    private final ExecutorService executor;

    public DeliveryWorker(
            String name,
            DeliveryRepository deliveries,
            SubscriptionRepository subscriptions,
            Channels channels,
            NoticeRenderer renderer,
            RateLimiter limiter,
            NotificationEventPublisher publisher,
            NotifierMetrics metrics,
            NotifierConfig.Delivery config) {
        this.name = name;
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.channels = channels;
        this.renderer = renderer;
        this.limiter = limiter;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.executor =
                Executors.newFixedThreadPool(
                        Math.max(1, config.concurrency()),
                        r -> {
                            Thread t = new Thread(r, "delivery-" + name);
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Claims and sends what is due; returns how many deliveries were claimed. */
    public int runOnce() {
        Instant now = Instant.now();
        String token = name + ":" + UUID.randomUUID();
        List<Delivery> claimed =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        deliveries.claimDue(
                                                now,
                                                now.plus(config.lease()),
                                                token,
                                                config.batchSize()));
        List<Future<?>> running = new ArrayList<>();
        for (Delivery delivery : claimed) {
            running.add(executor.submit(() -> process(delivery, token)));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return claimed.size();
            } catch (Exception e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                LOG.errorf(cause, "delivery processing failed: %s", cause.getClass().getName());
            }
        }
        return claimed.size();
    }

    void process(Delivery delivery, String token) {
        // Sent and published in the trace of the event it is about (a new trace when it had none).
        try (var trace = Traces.restore(delivery.traceparent())) {
            attemptAndRecord(delivery, token);
        }
    }

    private void attemptAndRecord(Delivery delivery, String token) {
        Optional<Subscription> found =
                QuarkusTransaction.requiringNew()
                        .call(() -> subscriptions.findSubscription(delivery.subscriptionId()));
        if (found.isEmpty()) {
            return; // deleted: its deliveries went with it
        }
        Subscription subscription = found.get();
        Channel channel = channels.get(subscription.channel());
        Instant now = Instant.now();
        if (!subscription.enabled() && !Delivery.TEST.equals(delivery.kind())) {
            finish(
                    delivery,
                    token,
                    subscription,
                    Delivery.FAILED,
                    delivery.attempts(),
                    null,
                    "not sent: the subscription is disabled");
            return;
        }
        if (delivery.ageFrom().plus(config.maxAge()).isBefore(now)) {
            finish(
                    delivery,
                    token,
                    subscription,
                    Delivery.FAILED,
                    delivery.attempts(),
                    delivery.lastStatusCode(),
                    "gave up: older than "
                            + config.maxAge()
                            + "; last error: "
                            + delivery.lastError());
            return;
        }
        String destination = channel.destinationKey(subscription.settings());
        Duration wait = limiter.acquire(destination);
        if (!wait.isZero()) {
            metrics.rateLimited(subscription.channel().wire());
            QuarkusTransaction.requiringNew()
                    .run(() -> deliveries.release(delivery.id(), token, now.plus(wait)));
            return;
        }
        AttemptResult result = attempt(subscription, channel, delivery);
        int attempts = delivery.attempts() + 1;
        String channelName = subscription.channel().wire();
        Instant at = Instant.now();
        switch (result.kind()) {
            case DELIVERED:
                metrics.attempt(channelName, "delivered");
                finish(
                        delivery,
                        token,
                        subscription,
                        Delivery.DELIVERED,
                        attempts,
                        result.statusCode(),
                        result.detail());
                break;
            case RETRY:
                metrics.attempt(channelName, "retry");
                Duration retryAfter = result.retryAfter();
                if (retryAfter != null && retryAfter.compareTo(config.maxRetryAfter()) > 0) {
                    retryAfter = config.maxRetryAfter();
                }
                if (retryAfter != null && Integer.valueOf(429).equals(result.statusCode())) {
                    limiter.pause(destination, retryAfter);
                }
                Duration backoff =
                        Backoff.after(attempts, config.initialBackoff(), config.maxBackoff());
                Duration delay =
                        retryAfter != null && retryAfter.compareTo(backoff) > 0
                                ? retryAfter
                                : backoff;
                Instant next = at.plus(delay);
                if (attempts >= config.maxAttempts()) {
                    finish(
                            delivery,
                            token,
                            subscription,
                            Delivery.FAILED,
                            attempts,
                            result.statusCode(),
                            "gave up after " + attempts + " attempts: " + result.detail());
                } else if (next.isAfter(delivery.ageFrom().plus(config.maxAge()))) {
                    finish(
                            delivery,
                            token,
                            subscription,
                            Delivery.FAILED,
                            attempts,
                            result.statusCode(),
                            "gave up: the next attempt would be past the maximum age; "
                                    + result.detail());
                } else if (!QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        deliveries.recordAttempt(
                                                delivery.id(),
                                                token,
                                                Delivery.PENDING,
                                                attempts,
                                                at,
                                                next,
                                                result.statusCode(),
                                                result.detail()))) {
                    LOG.warnf(
                            "delivery %s: claim lost (lease %s ran out)",
                            delivery.id(), config.lease());
                }
                break;
            case GONE:
                metrics.attempt(channelName, "gone");
                gone(delivery, token, subscription, attempts, at, result);
                break;
            default: // FINAL, REFUSED
                metrics.attempt(
                        channelName,
                        result.kind() == AttemptResult.Kind.REFUSED ? "refused" : "failed");
                finish(
                        delivery,
                        token,
                        subscription,
                        Delivery.FAILED,
                        attempts,
                        result.statusCode(),
                        result.detail());
        }
    }

    /**
     * 410 Gone: in one transaction the attempt is recorded, the subscription disabled, its other
     * pending deliveries failed, and the outcome event of each stored.
     */
    private void gone(
            Delivery delivery,
            String token,
            Subscription subscription,
            int attempts,
            Instant at,
            AttemptResult result) {
        String reason = "disabled: destination answered 410 Gone at " + at;
        String channel = subscription.channel().wire();
        int ended =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    int count = 0;
                                    if (deliveries.recordAttempt(
                                            delivery.id(),
                                            token,
                                            Delivery.FAILED,
                                            attempts,
                                            at,
                                            at,
                                            result.statusCode(),
                                            result.detail() + " (subscription disabled)")) {
                                        publish(
                                                delivery,
                                                channel,
                                                Delivery.FAILED,
                                                attempts,
                                                result.detail());
                                        count++;
                                    }
                                    subscriptions.disable(subscription.id(), reason);
                                    for (Delivery other :
                                            deliveries.failPending(
                                                    subscription.id(), "not sent: " + reason, at)) {
                                        publish(
                                                other,
                                                channel,
                                                Delivery.FAILED,
                                                other.attempts(),
                                                other.lastError());
                                        count++;
                                    }
                                    return count;
                                });
        LOG.warnf("%s disabled: its destination answered 410 Gone", subscription);
        for (int i = 0; i < ended; i++) {
            metrics.finished(channel, Delivery.FAILED);
        }
    }

    private AttemptResult attempt(Subscription subscription, Channel channel, Delivery delivery) {
        try {
            Notice notice = renderer.render(subscription, delivery);
            return channel.send(subscription, delivery, notice);
        } catch (RuntimeException e) {
            // Our bug, not the receiver's: retry, and say what kind of error without details.
            LOG.errorf(e, "delivery %s to %s failed unexpectedly", delivery.id(), subscription);
            return AttemptResult.retry(
                    null, "internal error: " + e.getClass().getSimpleName(), null);
        }
    }

    /**
     * Records the delivery's final attempt and stores its outcome event, in one transaction;
     * nothing when the claim was lost (the sender that holds it now records the outcome).
     */
    private void finish(
            Delivery delivery,
            String token,
            Subscription subscription,
            String status,
            int attempts,
            Integer statusCode,
            String detail) {
        Instant at = Instant.now();
        String channel = subscription.channel().wire();
        boolean recorded =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    if (!deliveries.recordAttempt(
                                            delivery.id(),
                                            token,
                                            status,
                                            attempts,
                                            at,
                                            at,
                                            statusCode,
                                            detail)) {
                                        return false;
                                    }
                                    publish(delivery, channel, status, attempts, detail);
                                    return true;
                                });
        if (!recorded) {
            LOG.warnf("delivery %s: claim lost (lease %s ran out)", delivery.id(), config.lease());
            return;
        }
        if (Delivery.FAILED.equals(status)) {
            LOG.warnf("delivery %s to %s failed: %s", delivery.id(), subscription, detail);
        }
        metrics.finished(channel, status);
    }

    /** Stores the outcome event of the delivery's current round (in the caller's transaction). */
    private void publish(
            Delivery delivery, String channel, String status, int attempts, String detail) {
        publisher.publish(
                new NotificationEvent(
                        delivery.subscriptionId(),
                        channel,
                        delivery.eventId(),
                        delivery.eventType(),
                        attempts,
                        Delivery.DELIVERED.equals(status)
                                ? DeliveryStatus.DELIVERED
                                : DeliveryStatus.FAILED,
                        detail,
                        delivery.id(),
                        delivery.correlationId()),
                delivery.resends());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
