package io.tributary.trigger.definition;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A Kafka trigger definition. */
@Entity
@Table(name = "kafka_trigger")
public class KafkaTriggerEntity extends DefinitionEntity {}
