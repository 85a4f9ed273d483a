package io.tributary.monitor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Small rows of coordination state: per connection, its advisory lock and a {@code POST /jobs}
 * whose answer never came; globally, the last {@code GET /jobs?updatedAtStart=…} look. Callers
 * bring the transaction. Batch forms take many connections in one statement.
 */
@ApplicationScoped
public class MonitorState {
    static final String LAST_LIST_LOOK = "jobs-list-look";

    @Inject EntityManager em;

    /**
     * Takes the coordination locks of these connections for the current transaction; answers those
     * it got (another worker or replica holds the others).
     */
    public Set<String> tryLockConnections(Collection<String> connectionIds) {
        List<?> got =
                em.createNativeQuery(
                                "select c from unnest(string_to_array(?1, ',')) c"
                                        + " where pg_try_advisory_xact_lock(4242, hashtext(c))")
                        .setParameter(1, idList(connectionIds))
                        .getResultList();
        Set<String> locked = new HashSet<>();
        got.forEach(c -> locked.add((String) c));
        return locked;
    }

    /** When a {@code POST /jobs} whose answer never came was attempted, by connection. */
    public Map<String, Instant> postAttemptsAt(Collection<String> connectionIds) {
        List<?> rows =
                em.createNativeQuery(
                                "select connection_id, post_attempted_at from connection_state"
                                        + " where connection_id = any(string_to_array(?1, ','))"
                                        + " and post_attempted_at is not null")
                        .setParameter(1, idList(connectionIds))
                        .getResultList();
        Map<String, Instant> attempts = new HashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            attempts.put((String) r[0], instant(r[1]));
        }
        return attempts;
    }

    /** Records a {@code POST /jobs} about to be sent for each of these connections. */
    public void setPostAttemptsAt(Collection<String> connectionIds, Instant at) {
        em.createNativeQuery(
                        """
                        insert into connection_state (connection_id, post_attempted_at)
                        select c, ?2 from unnest(string_to_array(?1, ',')) c
                        on conflict (connection_id) do update set post_attempted_at = excluded.post_attempted_at
                        """)
                .setParameter(1, idList(connectionIds))
                .setParameter(2, at)
                .executeUpdate();
    }

    public void clearPostAttempts(Collection<String> connectionIds) {
        if (connectionIds.isEmpty()) {
            return;
        }
        em.createNativeQuery(
                        "update connection_state set post_attempted_at = null"
                                + " where connection_id = any(string_to_array(?1, ','))")
                .setParameter(1, idList(connectionIds))
                .executeUpdate();
    }

    public void clearPostAttempt(String connectionId) {
        clearPostAttempts(List.of(connectionId));
    }

    /**
     * Ids (UUIDs, checked by the request schema) as one comma-separated parameter: one SQL text
     * whatever the number, so Hibernate keeps a single plan for it.
     */
    static String idList(Collection<?> ids) {
        StringBuilder b = new StringBuilder();
        for (Object id : ids) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(id);
        }
        return b.toString();
    }

    /**
     * A {@code timestamptz} read without a declared result class (declaring {@code Instant.class}
     * gave every execution a new entry in Hibernate's query plan cache).
     */
    static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a time: " + value.getClass());
    }

    public Optional<Instant> lastListLook() {
        List<?> rows =
                em.createNativeQuery("select value_time from monitor_state where name = ?1")
                        .setParameter(1, LAST_LIST_LOOK)
                        .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(instant(rows.get(0)));
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
