package io.tributary.transform.definition;

import io.tributary.events.EventJson;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A transform definition as stored: its validated JSON, and where it came from. */
@Entity
@Table(name = "transform_definition")
public class DefinitionEntity {
    @Id
    @Column(name = "name")
    public String name;

    /** The {@link TransformDefinition} as JSON. */
    @Column(name = "spec", nullable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String spec;

    /** {@code api} or {@code file} (the YAML file loaded at start). */
    @Column(name = "origin", nullable = false)
    public String origin;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public TransformDefinition definition() {
        return EventJson.read(spec, TransformDefinition.class);
    }
}
