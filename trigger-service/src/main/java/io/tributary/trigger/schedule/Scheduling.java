package io.tributary.trigger.schedule;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tributary.trigger.TriggerMetrics;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.definition.ScheduleRepository;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import io.tributary.trigger.webhook.ReceivedDeliveryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/** This instance's clock: ticks the schedule engine, forgets old deliveries. */
@ApplicationScoped
public class Scheduling {
    private static final Logger LOG = Logger.getLogger(Scheduling.class);

    @Inject ScheduleRepository schedules;
    @Inject ScheduleFireRepository fires;
    @Inject SyncRequestPublisher publisher;
    @Inject ReceivedDeliveryRepository deliveries;
    @Inject TriggerConfig config;
    @Inject TriggerMetrics metrics;

    private volatile ScheduleEngine engine;

    ScheduleEngine engine() {
        if (engine == null) {
            engine =
                    new ScheduleEngine(
                            schedules,
                            fires,
                            publisher,
                            Instant::now,
                            config.misfireThreshold(),
                            policy -> metrics.misfire(policy.wire()));
        }
        return engine;
    }

    @Scheduled(
            every = "${tributary.trigger.tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        try {
            engine().tick();
        } catch (RuntimeException e) {
            LOG.warnf("schedule tick failed: %s", e.toString());
        }
    }

    @Scheduled(
            every = "1h",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void housekeeping() {
        try {
            Instant before = Instant.now().minus(config.deliveryRetention());
            long forgotten =
                    QuarkusTransaction.requiringNew().call(() -> deliveries.purgeBefore(before));
            LOG.debugf("housekeeping: %d deliveries forgotten", forgotten);
        } catch (RuntimeException e) {
            LOG.warnf("housekeeping failed: %s", e.toString());
        }
    }
}
