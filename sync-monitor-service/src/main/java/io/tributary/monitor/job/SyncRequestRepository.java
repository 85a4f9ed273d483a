package io.tributary.monitor.job;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.tributary.events.SyncRequested;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class SyncRequestRepository implements PanacheRepositoryBase<SyncRequestEntity, String> {

    /**
     * Stores a request once. A re-delivered record (same ce_id or same request id) changes nothing,
     * even when two consumers race after a rebalance: the database decides.
     *
     * @param traceparent the W3C trace context to publish this request's events in, or null
     */
    public boolean storeIfNew(String eventId, SyncRequested request, String traceparent) {
        int inserted =
                getEntityManager()
                        .createNativeQuery(
                                """
                                insert into sync_request (request_id, event_id, connection_id, job_type,
                                    requested_at, trigger_kind, trigger_id, trigger_detail, correlation_id,
                                    status, received_at, traceparent)
                                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', now(), ?10)
                                on conflict do nothing
                                """)
                        .setParameter(1, request.requestId())
                        .setParameter(2, eventId)
                        .setParameter(3, request.connectionId())
                        .setParameter(4, request.jobType().wire())
                        .setParameter(5, request.requestedAt())
                        .setParameter(6, request.trigger().kind().wire())
                        .setParameter(7, request.trigger().id())
                        .setParameter(8, request.trigger().detail())
                        .setParameter(9, request.correlationId())
                        .setParameter(10, traceparent)
                        .executeUpdate();
        return inserted == 1;
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
