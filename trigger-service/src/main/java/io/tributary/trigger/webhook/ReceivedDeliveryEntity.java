package io.tributary.trigger.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A delivery turned into sync requests: a webhook's delivery id per hook, or an {@code
 * Idempotency-Key} per API caller ({@code hook_id} is then {@code api:<caller>}).
 */
@Entity
@Table(name = "received_delivery")
@IdClass(ReceivedDeliveryEntity.Key.class)
public class ReceivedDeliveryEntity {
    /** Its first caller gave up (503) before Kafka acknowledged: no caller was answered 2xx. */
    public static final String PENDING = "pending";

    /** A caller was, or is about to be, answered 2xx once Kafka acknowledged the requests. */
    public static final String DONE = "done";

    @Id
    @Column(name = "hook_id")
    public String hookId;

    @Id
    @Column(name = "delivery_id")
    public String deliveryId;

    /** Comma-separated. */
    @Column(name = "request_ids")
    public String requestIds;

    @Column(name = "received_at")
    public Instant receivedAt;

    public String status;

    public List<String> requestIdList() {
        return Arrays.asList(requestIds.split(","));
    }

    /** The primary key. */
    public record Key(String hookId, String deliveryId) implements Serializable {}
}
