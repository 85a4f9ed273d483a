package io.tributary.notifier.expectation;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The {@code expectation} table, answering {@link Expectation} values. Writes join the caller's
 * transaction.
 */
@ApplicationScoped
public class ExpectationRepository implements PanacheRepositoryBase<ExpectationEntity, String> {

    public void insert(Expectation x) {
        persist(ExpectationEntity.of(x));
    }

    /** Replaces everything but the id and creation time; false when there is no such id. */
    public boolean replace(Expectation x) {
        ExpectationEntity e = findById(x.id());
        if (e == null) {
            return false;
        }
        e.copy(x);
        return true;
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
