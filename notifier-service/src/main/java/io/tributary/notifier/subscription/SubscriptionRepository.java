package io.tributary.notifier.subscription;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code subscription} table, answering {@link Subscription} values. Writes join the caller's
 * transaction.
 */
@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<SubscriptionEntity, String> {

    public void insert(Subscription s) {
        persist(SubscriptionEntity.of(s));
    }

    /** Replaces everything but the id and creation time; false when there is no such id. */
    public boolean replace(Subscription s) {
        SubscriptionEntity e = findById(s.id());
        if (e == null) {
            return false;
        }
        e.copy(s);
        return true;
    }

    /** Turns a subscription off, saying why (e.g. its destination answered 410 Gone). */
    public void disable(String id, String reason) {
        update(
                "enabled = false, disabledReason = ?1, updatedAt = ?2 where id = ?3",
                reason,
                Instant.now(),
                id);
    }

    public Optional<Subscription> findSubscription(String id) {
        return findByIdOptional(id).map(SubscriptionEntity::toSubscription);
    }

    public Optional<Subscription> findByName(String name) {
        return find("name", name).firstResultOptional().map(SubscriptionEntity::toSubscription);
    }

    /** All, by name. */
    public List<Subscription> all() {
        return listAll(Sort.by("name")).stream().map(SubscriptionEntity::toSubscription).toList();
    }

    public List<Subscription> enabled() {
        return list("enabled", Sort.by("id"), true).stream()
                .map(SubscriptionEntity::toSubscription)
                .toList();
    }
}
