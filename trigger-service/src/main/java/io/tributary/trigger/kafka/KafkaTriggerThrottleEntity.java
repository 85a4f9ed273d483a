package io.tributary.trigger.kafka;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * The minimum interval of one (Kafka trigger, connection): the last request's time and the first
 * record held back since then ({@code pending_detail}: topic/partition/offset).
 */
@Entity
@Table(name = "kafka_trigger_throttle")
@IdClass(KafkaTriggerThrottleEntity.Key.class)
public class KafkaTriggerThrottleEntity {
    @Id
    @Column(name = "trigger_id")
    public String triggerId;

    @Id
    @Column(name = "connection_id")
    public String connectionId;

    @Column(name = "last_request_at")
    public Instant lastRequestAt;

    @Column(name = "interval_ms")
    public long intervalMs;

    @Column(name = "pending_detail")
    public String pendingDetail;

    /** The primary key. */
    public record Key(String triggerId, String connectionId) implements Serializable {}
}
