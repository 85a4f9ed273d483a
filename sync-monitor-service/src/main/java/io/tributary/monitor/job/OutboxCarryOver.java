package io.tributary.monitor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tributary.monitor.messaging.SyncEventPublisher;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One-off, at start: stores in the outbox what the monitor's previous outbox (flags on its rows,
 * gone with V5) had decided but not published yet, as V5 listed it in {@code legacy_unpublished}:
 * each group of unannounced requests of a job ({@code sync.started}), each unpublished refusal,
 * each stored ending, in that order (a job's starts before its ending), with the ids and data the
 * old outbox would have sent ({@link SyncEventPublisher}, as for new events). Runs before the
 * scheduler (priority 0), messaging and HTTP start, so before this instance decides anything; under
 * an advisory lock, so replicas starting together carry over once. Then the table is empty and this
 * finds nothing. To be removed, with that table, once every installation has run it.
 */
@ApplicationScoped
public class OutboxCarryOver {
    private static final Logger LOG = Logger.getLogger(OutboxCarryOver.class);
    private static final long LOCK = 4243;

    @Inject EntityManager em;
    @Inject SyncRequestRepository requests;
    @Inject JobRepository jobs;
    @Inject SyncEventPublisher events;

    void onStart(@Observes @Priority(-1) StartupEvent event) {
        int carried = carryOver();
        if (carried > 0) {
            LOG.infof(
                    "%d unpublished sync event(s) of the previous outbox stored in the outbox",
                    carried);
        }
    }

    /** Stores the listed events in the outbox and empties the list; returns how many. */
    public int carryOver() {
        return QuarkusTransaction.requiringNew()
                .timeout(600)
                .call(
                        () -> {
                            em.createNativeQuery("select pg_advisory_xact_lock(?1)")
                                    .setParameter(1, LOCK)
                                    .getSingleResult();
                            int carried = started() + refused() + ended();
                            em.createNativeQuery("delete from legacy_unpublished").executeUpdate();
                            return carried;
                        });
    }

    /** As the old outbox grouped them: by job and {@code attached}, oldest assignment first. */
    private int started() {
        List<String> ids = requestIds("started");
        if (ids.isEmpty()) {
            return 0;
        }
        Map<String, List<SyncRequestEntity>> groups = new LinkedHashMap<>();
        for (SyncRequestEntity r :
                requests.list("requestId in ?1 order by assignedAt, requestedAt, requestId", ids)) {
            groups.computeIfAbsent(r.jobId + "/" + r.attached, k -> new ArrayList<>()).add(r);
        }
        groups.values().forEach(group -> events.started(jobs.findById(group.get(0).jobId), group));
        return groups.size();
    }

    private int refused() {
        List<String> ids = requestIds("refused");
        if (ids.isEmpty()) {
            return 0;
        }
        List<SyncRequestEntity> refused =
                requests.list("requestId in ?1 order by receivedAt, requestId", ids);
        refused.forEach(events::refused);
        return refused.size();
    }

    @SuppressWarnings("unchecked")
    private int ended() {
        List<Long> ids =
                em.createNativeQuery(
                                "select job_id from legacy_unpublished where kind = 'ended'",
                                Long.class)
                        .getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        int carried = 0;
        for (JobEntity job : jobs.list("jobId in ?1 order by detectedAt, jobId", ids)) {
            List<SyncRequestEntity> served = requests.servedBy(job.jobId);
            if (!served.isEmpty()) {
                events.ended(job, served, null); // stats of old endings are not looked up
                carried++;
            }
        }
        return carried;
    }

    @SuppressWarnings("unchecked")
    private List<String> requestIds(String kind) {
        return em.createNativeQuery(
                        "select request_id from legacy_unpublished where kind = ?1", String.class)
                .setParameter(1, kind)
                .getResultList();
    }
}
