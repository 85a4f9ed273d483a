package io.tributary.notifier.delivery;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;

/** The {@code subject_state} table. Every method joins the caller's transaction. */
@ApplicationScoped
public class SubjectStateRepository
        implements PanacheRepositoryBase<SubjectStateEntity, SubjectStateEntity.Key> {

    /** The state, created when new and locked for the rest of the transaction. */
    public SubjectState lock(String subscriptionId, String subject) {
        getEntityManager()
                .createNativeQuery(
                        "insert into subject_state (subscription_id, subject) values (?1, ?2)"
                                + " on conflict do nothing")
                .setParameter(1, subscriptionId)
                .setParameter(2, subject)
                .executeUpdate();
        return getEntityManager()
                .find(
                        SubjectStateEntity.class,
                        new SubjectStateEntity.Key(subscriptionId, subject),
                        LockModeType.PESSIMISTIC_WRITE)
                .toState();
    }

    /** Saves the state of a subject {@link #lock locked} in this transaction. */
    public void save(String subscriptionId, String subject, SubjectState state) {
        SubjectStateEntity row =
                getEntityManager()
                        .find(
                                SubjectStateEntity.class,
                                new SubjectStateEntity.Key(subscriptionId, subject));
        row.failing = state.failing();
        row.fingerprint = state.fingerprint();
        row.lastNotifiedAt = state.lastNotifiedAt();
        row.updatedAt = Instant.now();
    }

    public Optional<SubjectState> findState(String subscriptionId, String subject) {
        return findByIdOptional(new SubjectStateEntity.Key(subscriptionId, subject))
                .map(SubjectStateEntity::toState);
    }
}
