package io.tributary.notifier.expectation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Rows of the recent successful syncs per connection, the history volume promises are judged
 * against; native SQL for {@code on conflict} and the per-connection pruning. Joins the caller's
 * transaction.
 */
@ApplicationScoped
public class SyncVolumeRepository
        implements PanacheRepositoryBase<SyncVolumeEntity, SyncVolumeEntity.Key> {
    /** The largest history a volume promise may ask for. */
    static final int KEPT_PER_CONNECTION = 100;

    /** Records a sync once (a re-delivered ending changes nothing) and prunes the oldest. */
    void record(String connectionId, long jobId, long rows, Instant finishedAt) {
        getEntityManager()
                .createNativeQuery(
                        "insert into sync_volume (connection_id, job_id, rows_synced, finished_at)"
                                + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, connectionId)
                .setParameter(2, jobId)
                .setParameter(3, rows)
                .setParameter(4, finishedAt)
                .executeUpdate();
        getEntityManager()
                .createNativeQuery(
                        "delete from sync_volume where connection_id = ?1 and job_id in (select"
                                + " job_id from sync_volume where connection_id = ?1 order by"
                                + " finished_at desc offset ?2)")
                .setParameter(1, connectionId)
                .setParameter(2, KEPT_PER_CONNECTION)
                .executeUpdate();
    }

    /** The rows of the newest {@code limit} syncs that ended before {@code before}. */
    List<Long> before(String connectionId, Instant before, long exceptJob, int limit) {
        return find(
                        "connectionId = ?1 and finishedAt < ?2 and jobId <> ?3 order by finishedAt"
                                + " desc",
                        connectionId,
                        before,
                        exceptJob)
                .page(0, limit)
                .stream()
                .map(v -> v.rowsSynced)
                .toList();
    }
}
