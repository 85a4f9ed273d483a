package io.tributary.transform.definition;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.tributary.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Transform definitions ({@code transform_definition}), validated before they get here; call in a
 * transaction.
 */
@ApplicationScoped
public class DefinitionRepository implements PanacheRepositoryBase<DefinitionEntity, String> {
    /** Where a definition came from: the REST API or the YAML file loaded at start. */
    public enum Origin {
        API,
        FILE
    }

    /** Inserts or replaces; true when it was new. */
    public boolean upsert(TransformDefinition d, Origin origin) {
        return save(
                        d,
                        origin,
                        "do update set spec = excluded.spec, origin = excluded.origin,"
                                + " updated_at = now() returning (xmax = 0)")
                .orElseThrow();
    }

    /** Inserts only; false when the name is taken. */
    public boolean insert(TransformDefinition d, Origin origin) {
        return save(d, origin, "do nothing returning true").isPresent();
    }

    public Optional<TransformDefinition> byName(String name) {
        return findByIdOptional(name).map(DefinitionEntity::definition);
    }

    public List<TransformDefinition> all() {
        return listAll(Sort.by("name")).stream().map(DefinitionEntity::definition).toList();
    }

    /** The transforms that a successful sync of {@code connectionId} concerns. */
    public List<TransformDefinition> downstreamOf(String connectionId) {
        return all().stream().filter(d -> d.upstreamConnections().contains(connectionId)).toList();
    }

    private Optional<Boolean> save(TransformDefinition d, Origin origin, String onConflict) {
        return getSession()
                .createNativeQuery(
                        "insert into transform_definition (name, spec, origin)"
                                + " values (?1, cast(?2 as jsonb), ?3) on conflict (name) "
                                + onConflict,
                        Boolean.class)
                .setParameter(1, d.name(), String.class)
                .setParameter(2, EventJson.toJson(d), String.class)
                .setParameter(3, origin.name().toLowerCase(Locale.ROOT), String.class)
                .uniqueResultOptional();
    }
}
