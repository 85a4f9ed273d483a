package io.tributary.trigger.schedule;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.support.schedule.Cron;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.MisfirePolicy;
import io.tributary.trigger.definition.ScheduleDefinition;
import io.tributary.trigger.definition.ScheduleEntity;
import io.tributary.trigger.definition.ScheduleRepository;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Fires due schedules. Any number of engines (one per instance) may tick at once: each due schedule
 * row is locked by one of them ({@code for update skip locked}), its fire is recorded in {@code
 * schedule_fire} (primary key schedule + fire time: a fire can be recorded once only), its requests
 * go to the outbox and its next fire time moves on — all in one transaction. The outbox relay then
 * publishes. A crash anywhere rolls back or leaves work in the outbox; nothing fires twice, nothing
 * is lost.
 *
 * <p>A fire found later than the misfire threshold (no instance was running at the time) follows
 * the schedule's policy: {@code fire-once} fires once for the latest missed time, {@code skip}
 * fires nothing; both then wait for the next time after now.
 */
public class ScheduleEngine {
    private static final Logger LOG = Logger.getLogger(ScheduleEngine.class);
    private static final int BATCH = 100;

    private final ScheduleRepository schedules;
    private final ScheduleFireRepository fires;
    private final SyncRequestPublisher publisher;
    private final Supplier<Instant> clock;
    private final Duration misfireThreshold;
    private final Consumer<MisfirePolicy> onMisfire;

    public ScheduleEngine(
            ScheduleRepository schedules,
            ScheduleFireRepository fires,
            SyncRequestPublisher publisher,
            Supplier<Instant> clock,
            Duration misfireThreshold,
            Consumer<MisfirePolicy> onMisfire) {
        this.schedules = schedules;
        this.fires = fires;
        this.publisher = publisher;
        this.clock = clock;
        this.misfireThreshold = misfireThreshold;
        this.onMisfire = onMisfire;
    }

    /**
     * Handles every schedule due now.
     *
     * @return the number of fires recorded (their requests are in the outbox)
     */
    public int tick() {
        Instant now = clock.get();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            int fired = 0;
                            for (ScheduleEntity row : schedules.lockDue(now, BATCH)) {
                                fired += fire(row, now);
                            }
                            return fired;
                        });
    }

    private int fire(ScheduleEntity row, Instant now) {
        ScheduleDefinition def;
        Cron cron;
        try {
            def = DefinitionJson.read(EventJson.tree(row.body), ScheduleDefinition.class);
            cron = def.parsedCron();
        } catch (RuntimeException e) {
            // Cannot happen for rows written by this service; do not block the others.
            LOG.errorf("schedule %s cannot be read, disabling it: %s", row.id, e.getMessage());
            row.enabled = false;
            return 0;
        }
        Instant due = row.nextFireAt;
        boolean late = Duration.between(due, now).compareTo(misfireThreshold) > 0;
        Instant fireTime = due;
        boolean fire = true;
        if (late) {
            onMisfire.accept(def.misfirePolicy());
            if (def.misfirePolicy() == MisfirePolicy.SKIP) {
                fire = false;
                LOG.infof(
                        "schedule %s missed its fire at %s: skipped (misfire policy)", row.id, due);
            } else {
                fireTime = cron.lastAtOrBefore(now).filter(t -> !t.isBefore(due)).orElse(due);
                LOG.infof(
                        "schedule %s missed its fire at %s: firing once for %s (misfire policy)",
                        row.id, due, fireTime);
            }
        }
        int recorded = 0;
        if (fire) {
            List<SyncRequested> requests = requests(def, fireTime, late, now);
            List<String> ids = requests.stream().map(SyncRequested::requestId).toList();
            if (fires.record(row.id, fireTime, late, ids)) {
                publisher.add(requests);
                row.lastFireAt = fireTime;
                recorded = 1;
            }
        }
        row.nextFireAt = cron.nextAfter(late ? now : due).orElse(null);
        return recorded;
    }

    static List<SyncRequested> requests(
            ScheduleDefinition def, Instant fireTime, boolean misfire, Instant now) {
        List<SyncRequested> requests = new ArrayList<>();
        for (String connectionId : def.connectionIds()) {
            String requestId =
                    EventIds.derive(
                            "schedule",
                            def.id(),
                            fireTime.toString(),
                            connectionId,
                            def.jobType().wire());
            requests.add(
                    new SyncRequested(
                            requestId,
                            connectionId,
                            def.jobType(),
                            now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                            new Trigger(
                                    TriggerKind.SCHEDULE,
                                    def.id(),
                                    fireTime + (misfire ? " (misfire, fired on recovery)" : "")),
                            requestId));
        }
        return requests;
    }
}
