package io.tributary.monitor.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What a connection's syncs must achieve: minimum records and a deadline. */
@Entity
@Table(name = "connection_policy")
public class ConnectionPolicyEntity {
    @Id
    @Column(name = "connection_id")
    public String connectionId;

    /** A succeeded sync with fewer records fails with {@code validation_failed}; null: none. */
    @Column(name = "min_records")
    public Long minRecords;

    /** Seconds after the job's creation when it is cancelled as timed out; null: the default. */
    @Column(name = "deadline_seconds")
    public Long deadlineSeconds;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
