package io.tributary.trigger.definition;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** An event rule definition. */
@Entity
@Table(name = "rule")
public class RuleEntity extends DefinitionEntity {}
