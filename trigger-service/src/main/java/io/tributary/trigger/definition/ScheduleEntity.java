package io.tributary.trigger.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A schedule definition and where it stands: the next fire it waits for, the last one done. */
@Entity
@Table(name = "schedule")
public class ScheduleEntity extends DefinitionEntity {
    public boolean enabled;

    @Column(name = "next_fire_at")
    public Instant nextFireAt;

    @Column(name = "last_fire_at")
    public Instant lastFireAt;

    /** What the definitions file said about {@code enabled} when it last applied the schedule. */
    @Column(name = "file_enabled")
    public Boolean fileEnabled;
}
