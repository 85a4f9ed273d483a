package io.tributary.trigger.schedule;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One fire of a schedule: its primary key lets exactly one instance record each fire. */
@Entity
@Table(name = "schedule_fire")
@IdClass(ScheduleFireEntity.Key.class)
public class ScheduleFireEntity {
    @Id
    @Column(name = "schedule_id")
    public String scheduleId;

    @Id
    @Column(name = "fire_time")
    public Instant fireTime;

    /** Fired on recovery, after the misfire threshold. */
    public boolean misfire;

    /** The fire's request ids, comma-separated. */
    @Column(name = "request_ids")
    public String requestIds;

    @Column(name = "fired_at")
    public Instant firedAt;

    /** The primary key. */
    public record Key(String scheduleId, Instant fireTime) implements Serializable {}
}
