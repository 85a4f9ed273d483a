package io.tributary.monitor.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.tributary.events.SyncRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

@ApplicationScoped
public class SyncRequestRepository implements PanacheRepositoryBase<SyncRequestEntity, String> {

    private static final String INSERT =
            """
            insert into sync_request (request_id, event_id, connection_id, job_type, requested_at,
                trigger_kind, trigger_id, trigger_detail, correlation_id, status, received_at,
                traceparent)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', now(), ?)
            on conflict do nothing
            """;

    /** A request to store: its CloudEvent id, its data, the W3C trace to publish its events in. */
    public record Received(String eventId, SyncRequested request, String traceparent) {}

    /**
     * Stores requests once each, in one round trip (a JDBC batch). A re-delivered record (same
     * ce_id or same request id) changes nothing, even when two consumers race after a rebalance:
     * the database decides.
     *
     * @return those that were new (all of them when the driver does not say)
     */
    public List<Received> storeIfNew(List<Received> received) {
        int[] counts =
                getEntityManager()
                        .unwrap(Session.class)
                        .doReturningWork(
                                connection -> {
                                    try (PreparedStatement insert =
                                            connection.prepareStatement(INSERT)) {
                                        for (Received r : received) {
                                            bind(insert, r);
                                            insert.addBatch();
                                        }
                                        return insert.executeBatch();
                                    }
                                });
        List<Received> stored = new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
            if (counts[i] != 0) {
                stored.add(received.get(i));
            }
        }
        return stored;
    }

    private static void bind(PreparedStatement insert, Received r) throws SQLException {
        SyncRequested request = r.request();
        insert.setString(1, request.requestId());
        insert.setString(2, r.eventId());
        insert.setString(3, request.connectionId());
        insert.setString(4, request.jobType().wire());
        insert.setObject(5, request.requestedAt().atOffset(ZoneOffset.UTC));
        insert.setString(6, request.trigger().kind().wire());
        insert.setString(7, request.trigger().id());
        insert.setString(8, request.trigger().detail());
        insert.setString(9, request.correlationId());
        insert.setString(10, r.traceparent());
    }

    /** The requests that no job serves yet of these connections, by connection, oldest first. */
    @SuppressWarnings("unchecked")
    public Map<String, List<SyncRequestEntity>> pending(Collection<String> connectionIds) {
        List<SyncRequestEntity> rows =
                getEntityManager()
                        .createNativeQuery(
                                "select * from sync_request where status = 'pending'"
                                        + " and connection_id = any(string_to_array(?1, ','))"
                                        + " order by connection_id, requested_at, request_id",
                                SyncRequestEntity.class)
                        .setParameter(1, MonitorState.idList(connectionIds))
                        .getResultList();
        Map<String, List<SyncRequestEntity>> byConnection = new LinkedHashMap<>();
        for (SyncRequestEntity r : rows) {
            byConnection.computeIfAbsent(r.connectionId, c -> new ArrayList<>()).add(r);
        }
        return byConnection;
    }

    /** Those of these connections that have pending requests. */
    @SuppressWarnings("unchecked")
    public List<String> withPending(Collection<String> connectionIds) {
        return (List<String>)
                getEntityManager()
                        .createNativeQuery(
                                "select distinct connection_id from sync_request where status ="
                                        + " 'pending' and connection_id ="
                                        + " any(string_to_array(?1, ','))")
                        .setParameter(1, MonitorState.idList(connectionIds))
                        .getResultList();
    }

    /**
     * Connections with at least one pending request, those that can start a job first (no active
     * job: requests there wait for its end, which dispatches them anyway), then by their oldest
     * request, so that a long backlog is served in order rather than the same few again.
     */
    @SuppressWarnings("unchecked")
    public List<String> connectionsWithPending(int limit) {
        return (List<String>)
                getEntityManager()
                        .createNativeQuery(
                                """
                        select r.connection_id from sync_request r
                        where r.status = 'pending'
                        group by r.connection_id
                        order by bool_or(exists (select 1 from airbyte_job j
                                                 where j.connection_id = r.connection_id
                                                 and j.phase = 'active')),
                                 min(r.received_at)
                        limit ?1
                        """)
                        .setParameter(1, limit)
                        .getResultList();
    }

    /** The requests these jobs serve, by job, in the order they were requested. */
    @SuppressWarnings("unchecked")
    public List<SyncRequestEntity> servedBy(Collection<Long> jobIds) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from sync_request"
                                + " where job_id = any(cast(string_to_array(?1, ',') as bigint[]))"
                                + " order by job_id, requested_at, request_id",
                        SyncRequestEntity.class)
                .setParameter(1, MonitorState.idList(jobIds))
                .getResultList();
    }

    /** The requests a job serves, in the order they were requested. */
    public List<SyncRequestEntity> servedBy(long jobId) {
        return list("jobId = ?1 order by requestedAt, requestId", jobId);
    }
}
