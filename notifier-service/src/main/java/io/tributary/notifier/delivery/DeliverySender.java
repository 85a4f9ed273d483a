package io.tributary.notifier.delivery;

import io.quarkus.scheduler.Scheduled;
import io.tributary.notifier.channel.Channels;
import io.tributary.notifier.channel.NoticeRenderer;
import io.tributary.notifier.channel.RateLimiter;
import io.tributary.notifier.config.NotifierConfig;
import io.tributary.notifier.messaging.NotificationEventPublisher;
import io.tributary.notifier.subscription.SubscriptionStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/** Runs this instance's {@link DeliveryWorker} on a schedule (unless disabled or paused). */
@ApplicationScoped
public class DeliverySender {
    @Inject DeliveryStore store;
    @Inject SubscriptionStore subscriptions;
    @Inject Channels channels;
    @Inject NoticeRenderer renderer;
    @Inject RateLimiter limiter;
    @Inject NotificationEventPublisher publisher;
    @Inject NotifierMetrics metrics;
    @Inject NotifierConfig config;

    private DeliveryWorker worker;
    private volatile boolean paused;

    @PostConstruct
    void init() {
        worker = newWorker("sender-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @PreDestroy
    void shutdown() {
        worker.close();
    }

    @Scheduled(
            identity = "delivery-sender",
            every = "${tributary.notifier.delivery.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.delivery().senderEnabled() && !paused) {
            while (worker.runOnce() >= config.delivery().batchSize() && !paused) {
                // a full batch: more may be due
            }
        }
    }

    /** Stops sending in this instance until {@link #resume()} (tests, maintenance). */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /**
     * A separate worker with the same collaborators, e.g. a second replica or the process after a
     * restart (tests).
     */
    public DeliveryWorker newWorker(String name) {
        return new DeliveryWorker(
                name,
                store,
                subscriptions,
                channels,
                renderer,
                limiter,
                publisher,
                metrics,
                config.delivery());
    }
}
