package io.tributary.notifier.delivery;

import io.quarkus.scheduler.Scheduled;
import io.tributary.notifier.channel.Channels;
import io.tributary.notifier.channel.NoticeRenderer;
import io.tributary.notifier.channel.RateLimiter;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.messaging.NotificationEventPublisher;
import io.tributary.notifier.subscription.SubscriptionRepository;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Runs this instance's {@link DeliveryWorker} on a schedule, unless {@code delivery.sender-enabled}
 * is false (the job can also be paused through the Quarkus scheduler by its identity, {@value
 * #IDENTITY}).
 */
@ApplicationScoped
public class DeliverySender {
    public static final String IDENTITY = "delivery-sender";

    @Inject DeliveryRepository deliveries;
    @Inject SubscriptionRepository subscriptions;
    @Inject Channels channels;
    @Inject NoticeRenderer renderer;
    @Inject RateLimiter limiter;
    @Inject NotificationEventPublisher publisher;
    @Inject NotifierMetrics metrics;
    @Inject NotifierConfig config;

    private DeliveryWorker worker;

    @PostConstruct
    void init() {
        worker = newWorker("sender-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @PreDestroy
    void shutdown() {
        worker.close();
    }

    @Scheduled(
            identity = IDENTITY,
            every = "${tributary.notifier.delivery.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.delivery().senderEnabled()) {
            while (worker.runOnce() >= config.delivery().batchSize()) {
                // a full batch: more may be due
            }
        }
    }

    /** A worker with this sender's collaborators (its own; a test adds more to play replicas). */
    public DeliveryWorker newWorker(String name) {
        return new DeliveryWorker(
                name,
                deliveries,
                subscriptions,
                channels,
                renderer,
                limiter,
                publisher,
                metrics,
                config.delivery());
    }
}
