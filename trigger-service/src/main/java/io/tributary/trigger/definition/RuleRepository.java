package io.tributary.trigger.definition;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code rule} table. */
@ApplicationScoped
public class RuleRepository implements PanacheRepositoryBase<RuleEntity, String> {
    private static final long WRITE_LOCK = 0x7472696767657231L;

    /**
     * Serializes rule writes across instances until the current transaction ends, so that two saves
     * cannot close a cycle together.
     */
    void lockWrites() {
        getEntityManager()
                .createNativeQuery("select 1 from pg_advisory_xact_lock(?1)")
                .setParameter(1, WRITE_LOCK)
                .getSingleResult();
    }
}
