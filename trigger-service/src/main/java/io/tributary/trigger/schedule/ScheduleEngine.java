package io.tributary.trigger.schedule;

import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.MisfirePolicy;
import io.tributary.trigger.definition.ScheduleDefinition;
import io.tributary.trigger.store.Db;
import io.tributary.trigger.store.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * go to the outbox and its next fire time moves on — all in one transaction. The outbox then
 * publishes. A crash anywhere rolls back or leaves work in the outbox; nothing fires twice, nothing
 * is lost.
 *
 * <p>A fire found later than the misfire threshold (no instance was running at the time) follows
 * the schedule's policy: {@code fire-once} fires once for the latest missed time, {@code skip}
 * fires nothing; both then wait for the next time after now.
 */
public class ScheduleEngine {
    private static final Logger LOG = Logger.getLogger(ScheduleEngine.class);

    private final Db db;
    private final Supplier<Instant> clock;
    private final Duration misfireThreshold;
    private final Consumer<MisfirePolicy> onMisfire;

    public ScheduleEngine(
            Db db,
            Supplier<Instant> clock,
            Duration misfireThreshold,
            Consumer<MisfirePolicy> onMisfire) {
        this.db = db;
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
        return db.tx(
                c -> {
                    int fired = 0;
                    try (PreparedStatement ps =
                            Db.prepare(
                                    c,
                                    "select id, body::text, next_fire_at from schedule where enabled and next_fire_at <= ? "
                                            + "order by next_fire_at limit 100 for update skip locked",
                                    now)) {
                        ResultSet rs = ps.executeQuery();
                        List<Object[]> due = new ArrayList<>();
                        while (rs.next()) {
                            due.add(
                                    new Object[] {
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getTimestamp(3).toInstant()
                                    });
                        }
                        for (Object[] row : due) {
                            fired +=
                                    fire(
                                            c,
                                            (String) row[0],
                                            (String) row[1],
                                            (Instant) row[2],
                                            now);
                        }
                    }
                    return fired;
                });
    }

    private int fire(Connection c, String id, String body, Instant due, Instant now)
            throws SQLException {
        ScheduleDefinition def;
        Cron cron;
        try {
            def = DefinitionJson.read(EventJson.tree(body), ScheduleDefinition.class);
            cron = def.parsedCron();
        } catch (RuntimeException e) {
            // Cannot happen for rows written by this service; do not block the others.
            LOG.errorf("schedule %s cannot be read, disabling it: %s", id, e.getMessage());
            Db.update(c, "update schedule set enabled = false where id = ?", id);
            return 0;
        }
        boolean late = Duration.between(due, now).compareTo(misfireThreshold) > 0;
        Instant fireTime = due;
        boolean fire = true;
        if (late) {
            onMisfire.accept(def.misfirePolicy());
            if (def.misfirePolicy() == MisfirePolicy.SKIP) {
                fire = false;
                LOG.infof("schedule %s missed its fire at %s: skipped (misfire policy)", id, due);
            } else {
                fireTime = cron.lastAtOrBefore(now).filter(t -> !t.isBefore(due)).orElse(due);
                LOG.infof(
                        "schedule %s missed its fire at %s: firing once for %s (misfire policy)",
                        id, due, fireTime);
            }
        }
        int recorded = 0;
        if (fire) {
            List<SyncRequested> requests = requests(def, fireTime, late, now);
            int inserted =
                    Db.update(
                            c,
                            "insert into schedule_fire (schedule_id, fire_time, misfire, request_ids) values (?, ?, ?, ?) "
                                    + "on conflict do nothing",
                            id,
                            fireTime,
                            late,
                            String.join(
                                    ",", requests.stream().map(SyncRequested::requestId).toList()));
            if (inserted == 1) {
                Outbox.add(c, requests);
                recorded = 1;
            }
        }
        Instant next = cron.nextAfter(late ? now : due).orElse(null);
        Db.update(
                c,
                "update schedule set next_fire_at = ?, last_fire_at = coalesce(?, last_fire_at) where id = ?",
                next,
                recorded == 1 ? fireTime : null,
                id);
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
