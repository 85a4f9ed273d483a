package io.tributary.trigger.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A stored definition: its id and its JSON document (the API's shape, secrets included). */
@MappedSuperclass
public abstract class DefinitionEntity {
    @Id public String id;

    /** A {@code jsonb} column, read as text. */
    @ColumnTransformer(write = "cast(? as jsonb)")
    public String body;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
