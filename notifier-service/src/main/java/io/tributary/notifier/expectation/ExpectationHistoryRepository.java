package io.tributary.notifier.expectation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.tributary.events.ExpectationEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The events raised about each expectation. Writes join the caller's transaction. */
@ApplicationScoped
public class ExpectationHistoryRepository
        implements PanacheRepositoryBase<ExpectationHistoryEntity, String> {

    void record(String eventId, ExpectationEvent event) {
        ExpectationHistoryEntity h = new ExpectationHistoryEntity();
        h.eventId = eventId;
        h.expectationId = event.expectationId();
        h.type = event.status().wire();
        h.at = event.observedAt();
        h.deadline = event.deadline();
        h.lastKeptAt = event.lastKeptAt();
        h.lateBy = event.lateBy() == null ? null : event.lateBy().toString();
        h.message = event.message();
        h.rowsSynced = event.rowsSynced();
        h.medianRows = event.medianRows();
        h.threshold = event.threshold();
        h.jobId = event.jobId();
        h.correlationId = event.correlationId();
        persist(h);
    }

    /** The newest {@code limit} events of an expectation, newest first. */
    public List<ExpectationHistory> recent(String expectationId, int limit) {
        return find("expectationId", Sort.by("at").descending(), expectationId)
                .page(Page.ofSize(limit))
                .stream()
                .map(ExpectationHistory::of)
                .toList();
    }
}
