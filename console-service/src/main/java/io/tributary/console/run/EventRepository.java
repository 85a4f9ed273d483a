package io.tributary.console.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The stored CloudEvents and which runs they belong to. Native SQL: JSONB look-ups and {@code on
 * conflict} upserts are the point. Callers bring the transaction.
 */
@ApplicationScoped
public class EventRepository {
    private static final String COLUMNS =
            "e.event_id, e.event_type, e.topic, e.kafka_partition, e.kafka_offset, e.record_key,"
                    + " e.event_time, e.correlation_id, e.data::text, e.headers::text";

    @Inject EntityManager em;
    @Inject ObjectMapper json;

    /** Stores an event; false when its ce_id was stored before (a re-delivery). */
    public boolean insert(StoredEvent e) {
        return em.createNativeQuery(
                                """
                                insert into pipeline_event (event_id, event_type, topic,
                                    kafka_partition, kafka_offset, record_key, event_time,
                                    correlation_id, data, headers, received_at)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, cast(?9 as jsonb),
                                    cast(?10 as jsonb), now())
                                on conflict (event_id) do nothing
                                """)
                        .setParameter(1, e.eventId())
                        .setParameter(2, e.type())
                        .setParameter(3, e.topic())
                        .setParameter(4, e.partition())
                        .setParameter(5, e.offset())
                        .setParameter(6, e.key())
                        .setParameter(7, Timestamp.from(e.time()))
                        .setParameter(8, e.correlationId())
                        .setParameter(9, e.data().toString())
                        .setParameter(10, e.headers().toString())
                        .executeUpdate()
                == 1;
    }

    /** Adds the event to a run; true when it was not in it yet. */
    public boolean link(String correlationId, String eventId) {
        return em.createNativeQuery(
                                "insert into run_event (correlation_id, event_id) values (?1, ?2)"
                                        + " on conflict do nothing")
                        .setParameter(1, correlationId)
                        .setParameter(2, eventId)
                        .executeUpdate()
                == 1;
    }

    /** The runs of the requests with these ids. */
    public List<String> runsOfRequests(Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return List.of();
        }
        return strings(
                em.createNativeQuery(
                                """
                                select distinct r.correlation_id from pipeline_event e
                                join run_event r on r.event_id = e.event_id
                                where e.event_type = 'io.tributary.sync.requested'
                                  and e.data ->> 'requestId' = any(cast(?1 as text[]))
                                """)
                        .setParameter(1, requestIds.toArray(String[]::new))
                        .getResultList());
    }

    /** Job events (started, endings) that serve this request. */
    public List<String> eventsServingRequest(String requestId) {
        return strings(
                em.createNativeQuery(
                                "select event_id from pipeline_event where data -> 'requestIds' @>"
                                        + " jsonb_build_array(cast(?1 as text))")
                        .setParameter(1, requestId)
                        .getResultList());
    }

    /** The runs an event belongs to. */
    public List<String> runsOf(String eventId) {
        return strings(
                em.createNativeQuery("select correlation_id from run_event where event_id = ?1")
                        .setParameter(1, eventId)
                        .getResultList());
    }

    /** Notifications about this event. */
    public List<String> notificationsAbout(String eventId) {
        return strings(
                em.createNativeQuery(
                                "select event_id from pipeline_event where event_type like"
                                        + " 'io.tributary.notification.%' and data ->> 'eventId' = ?1")
                        .setParameter(1, eventId)
                        .getResultList());
    }

    /** Every event of a run, in time order. */
    public List<StoredEvent> ofRun(String correlationId) {
        List<?> rows =
                em.createNativeQuery(
                                "select "
                                        + COLUMNS
                                        + " from pipeline_event e join run_event r on r.event_id ="
                                        + " e.event_id where r.correlation_id = ?1"
                                        + " order by e.event_time, e.event_id")
                        .setParameter(1, correlationId)
                        .getResultList();
        List<StoredEvent> events = new ArrayList<>();
        for (Object row : rows) {
            events.add(read((Object[]) row));
        }
        return events;
    }

    /** Serializes writers of the same run across threads and replicas (sorted to avoid cycles). */
    public void lockRuns(Collection<String> correlationIds) {
        correlationIds.stream()
                .sorted()
                .forEach(
                        c ->
                                em.createNativeQuery(
                                                "select pg_advisory_xact_lock(7171, hashtext(?1))")
                                        .setParameter(1, c)
                                        .getSingleResult());
    }

    /** Deletes events received before {@code before} that no run refers to (any more). */
    public int deleteOrphans(Instant before) {
        return em.createNativeQuery(
                        "delete from pipeline_event e where e.received_at < ?1 and not exists"
                                + " (select 1 from run_event r where r.event_id = e.event_id)")
                .setParameter(1, Timestamp.from(before))
                .executeUpdate();
    }

    private StoredEvent read(Object[] r) {
        return new StoredEvent(
                (String) r[0],
                (String) r[1],
                (String) r[2],
                ((Number) r[3]).intValue(),
                ((Number) r[4]).longValue(),
                (String) r[5],
                instant(r[6]),
                (String) r[7],
                tree((String) r[8]),
                tree((String) r[9]));
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("not a time: " + value);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(List<?> rows) {
        return (List<String>) rows;
    }
}
