package io.tributary.transform.run;

import io.tributary.transform.dbt.NodeResult;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/**
 * A dbt node of a run: progress from dbt's JSON log while it runs, {@code run_results.json} at the
 * end. Written by {@link RunRepository#upsertNode}.
 */
@Entity
@Table(name = "transform_node_result")
@IdClass(NodeResultEntity.Key.class)
public class NodeResultEntity {
    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Id
    @Column(name = "unique_id")
    public String uniqueId;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "execution_time")
    public Double executionTime;

    @Column(name = "rows_affected")
    public Long rowsAffected;

    @Column(name = "failures")
    public Long failures;

    @Column(name = "message")
    public String message;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public NodeResult toResult() {
        return new NodeResult(uniqueId, status, executionTime, rowsAffected, failures, message);
    }

    /** The primary key: run and node. */
    public record Key(UUID runId, String uniqueId) implements Serializable {}
}
