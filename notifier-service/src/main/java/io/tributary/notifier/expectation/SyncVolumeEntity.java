package io.tributary.notifier.expectation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A row of {@code sync_volume}: the rows of one successful sync. */
@Entity
@IdClass(SyncVolumeEntity.Key.class)
@Table(name = "sync_volume")
public class SyncVolumeEntity {
    @Id
    @Column(name = "connection_id")
    public String connectionId;

    @Id
    @Column(name = "job_id")
    public long jobId;

    @Column(name = "rows_synced", nullable = false)
    public long rowsSynced;

    @Column(name = "finished_at", nullable = false)
    public Instant finishedAt;

    /** The primary key. */
    public record Key(String connectionId, long jobId) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
