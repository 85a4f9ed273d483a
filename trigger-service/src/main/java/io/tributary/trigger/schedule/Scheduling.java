package io.tributary.trigger.schedule;

import io.quarkus.scheduler.Scheduled;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.messaging.TriggerMetrics;
import io.tributary.trigger.store.Db;
import io.tributary.trigger.store.DeliveryStore;
import io.tributary.trigger.store.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/** This instance's clock: ticks the schedule engine, relays the outbox, forgets old deliveries. */
@ApplicationScoped
public class Scheduling {
    private static final Logger LOG = Logger.getLogger(Scheduling.class);

    @Inject Db db;
    @Inject Outbox outbox;
    @Inject DeliveryStore deliveries;
    @Inject TriggerConfig config;
    @Inject TriggerMetrics metrics;

    private volatile ScheduleEngine engine;

    ScheduleEngine engine() {
        if (engine == null) {
            engine =
                    new ScheduleEngine(
                            db,
                            Instant::now,
                            config.misfireThreshold(),
                            policy -> metrics.misfire(policy.wire()));
        }
        return engine;
    }

    @Scheduled(
            every = "${tributary.trigger.tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            engine().tick();
        } catch (RuntimeException e) {
            LOG.warnf("schedule tick failed: %s", e.toString());
        }
        outbox.relay();
    }

    @Scheduled(
            every = "1h",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void housekeeping() {
        try {
            int forgotten = deliveries.purge(Instant.now());
            int purged = outbox.purge((int) Math.max(1, config.deliveryRetention().toDays()));
            LOG.debugf(
                    "housekeeping: %d deliveries forgotten, %d outbox rows purged",
                    forgotten, purged);
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed: %s", e.toString());
        }
    }
}
