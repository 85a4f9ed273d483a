package io.tributary.notifier.delivery;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A row of {@code subject_state}: the Alertmanager-style memory of one subscription's subject. */
@Entity
@Table(name = "subject_state")
@IdClass(SubjectStateEntity.Key.class)
public class SubjectStateEntity {

    /** The primary key: (subscription, subject). */
    public static class Key implements Serializable {
        public String subscriptionId;
        public String subject;

        public Key() {}

        public Key(String subscriptionId, String subject) {
            this.subscriptionId = subscriptionId;
            this.subject = subject;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && Objects.equals(subscriptionId, k.subscriptionId)
                    && Objects.equals(subject, k.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subscriptionId, subject);
        }
    }

    @Id
    @Column(name = "subscription_id")
    public String subscriptionId;

    @Id public String subject;

    public boolean failing;

    public String fingerprint;

    @Column(name = "last_notified_at")
    public Instant lastNotifiedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    SubjectState toState() {
        return new SubjectState(failing, fingerprint, lastNotifiedAt);
    }
}
