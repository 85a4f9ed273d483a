package io.tributary.notifier.expectation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code expectation} table, answering {@link Expectation} values. Writes join the caller's
 * transaction.
 */
@ApplicationScoped
public class ExpectationRepository implements PanacheRepositoryBase<ExpectationEntity, String> {

    /** Stores a new expectation with its first deadline. */
    public void insert(Expectation x) {
        ExpectationEntity e = ExpectationEntity.of(x);
        e.nextDeadlineAt = Deadlines.next(x, ExpectationState.UNKNOWN, null, Instant.now());
        persist(e);
    }

    /**
     * Replaces everything but the id, creation time and state; the next deadline follows the new
     * terms. False when there is no such id.
     */
    public boolean replace(Expectation x) {
        ExpectationEntity e = findById(x.id(), LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            return false;
        }
        e.copy(x);
        e.nextDeadlineAt = Deadlines.next(x, e.state(), e.lastKeptAt, Instant.now());
        return true;
    }

    /** The enabled expectations of a subject, locked until the transaction ends. */
    List<ExpectationEntity> lockSubject(String kind, String id) {
        return find(
                        "subjectKind = ?1 and subjectId = ?2 and enabled = true",
                        Sort.by("id"),
                        kind,
                        id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /**
     * Up to {@code limit} enabled expectations whose deadline has come, locked; rows another
     * replica holds are skipped (it is judging them).
     */
    @SuppressWarnings("unchecked")
    List<ExpectationEntity> claimDue(Instant now, int limit) {
        return getEntityManager()
                .createNativeQuery(
                        "select * from expectation where enabled and next_deadline_at <= ?1"
                                + " order by next_deadline_at limit ?2 for update skip locked",
                        ExpectationEntity.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    /** Every expectation with where it stands, by name. */
    public List<ExpectationView> statuses() {
        return listAll(Sort.by("name")).stream().map(ExpectationView::of).toList();
    }

    public Optional<ExpectationView> findStatus(String id) {
        return findByIdOptional(id).map(ExpectationView::of);
    }

    public Optional<Expectation> findExpectation(String id) {
        return findByIdOptional(id).map(ExpectationEntity::toExpectation);
    }

    public Optional<Expectation> findByName(String name) {
        return find("name", name).firstResultOptional().map(ExpectationEntity::toExpectation);
    }

    /** All, by name. */
    public List<Expectation> all() {
        return listAll(Sort.by("name")).stream().map(ExpectationEntity::toExpectation).toList();
    }
}
