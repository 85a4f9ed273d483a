package io.tributary.support.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event stored with the change that caused it, waiting for (or past) its publication. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {
    /** Publication order: the order the events were stored in. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    /** The stable {@code ce_id}: every re-send carries it, so consumers drop duplicates. */
    @Column(name = "ce_id")
    public String ceId;

    @Column(name = "ce_type")
    public String ceType;

    /** {@code ce_subject}, also the Kafka record key. */
    public String subject;

    public String source;

    @Column(name = "event_time")
    public Instant time;

    /** The event's data as the contract's JSON. */
    public String data;

    public String traceparent;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;
}
