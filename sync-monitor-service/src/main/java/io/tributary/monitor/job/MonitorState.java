package io.tributary.monitor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Small rows of coordination state: per connection, a {@code POST /jobs} whose answer never came;
 * globally, the last {@code GET /jobs?updatedAtStart=…} look. Callers bring the transaction.
 */
@ApplicationScoped
public class MonitorState {
    static final String LAST_LIST_LOOK = "jobs-list-look";

    @Inject EntityManager em;

    /**
     * Takes the connection's coordination lock for the current transaction; false when another
     * worker (thread or replica) holds it.
     */
    public boolean tryLockConnection(String connectionId) {
        Object got =
                em.createNativeQuery("select pg_try_advisory_xact_lock(4242, hashtext(?1))")
                        .setParameter(1, connectionId)
                        .getSingleResult();
        return Boolean.TRUE.equals(got);
    }

    public Optional<Instant> postAttemptedAt(String connectionId) {
        List<?> rows =
                em.createNativeQuery(
                                "select post_attempted_at from connection_state"
                                        + " where connection_id = ?1 and post_attempted_at is not null",
                                Instant.class)
                        .setParameter(1, connectionId)
                        .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((Instant) rows.get(0));
    }

    public void setPostAttemptedAt(String connectionId, Instant at) {
        em.createNativeQuery(
                        """
                        insert into connection_state (connection_id, post_attempted_at) values (?1, ?2)
                        on conflict (connection_id) do update set post_attempted_at = excluded.post_attempted_at
                        """)
                .setParameter(1, connectionId)
                .setParameter(2, at)
                .executeUpdate();
    }

    public void clearPostAttempt(String connectionId) {
        em.createNativeQuery(
                        "update connection_state set post_attempted_at = null where connection_id = ?1")
                .setParameter(1, connectionId)
                .executeUpdate();
    }

    public Optional<Instant> lastListLook() {
        List<?> rows =
                em.createNativeQuery(
                                "select value_time from monitor_state where name = ?1",
                                Instant.class)
                        .setParameter(1, LAST_LIST_LOOK)
                        .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable((Instant) rows.get(0));
    }

    public void setLastListLook(Instant at) {
        em.createNativeQuery(
                        """
                        insert into monitor_state (name, value_time) values (?1, ?2)
                        on conflict (name) do update set value_time = greatest(monitor_state.value_time, excluded.value_time)
                        """)
                .setParameter(1, LAST_LIST_LOOK)
                .setParameter(2, at)
                .executeUpdate();
    }
}
