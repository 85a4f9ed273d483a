package io.tributary.trigger.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A webhook definition. */
@Entity
@Table(name = "hook")
public class HookEntity extends DefinitionEntity {
    /** What the definitions file said about {@code enabled} when it last applied the hook. */
    @Column(name = "file_enabled")
    public Boolean fileEnabled;
}
