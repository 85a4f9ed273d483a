package io.tributary.transform.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Fan-in ({@code when: all}): an upstream connection that has succeeded since the transform's last
 * run was queued, with its latest job and the correlation ids of all its syncs since then (in the
 * order they landed). Cleared when that run is queued.
 */
@Entity
@Table(name = "transform_fan_in")
@IdClass(FanInEntity.Key.class)
public class FanInEntity {
    @Id
    @Column(name = "transform_name")
    public String transformName;

    @Id
    @Column(name = "connection_id")
    public String connectionId;

    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "correlation_id")
    public String correlationId;

    @Column(name = "correlation_ids", nullable = false)
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> correlationIds;

    /** Every ending of the connection since the last run was queued, as JSON. */
    @Column(name = "endings", nullable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String endingsJson;

    @Column(name = "succeeded_at", nullable = false)
    public Instant succeededAt;

    /** The primary key: transform and connection. */
    public record Key(String transformName, String connectionId) implements Serializable {}
}
