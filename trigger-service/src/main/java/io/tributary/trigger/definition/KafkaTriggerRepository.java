package io.tributary.trigger.definition;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code kafka_trigger} table. */
@ApplicationScoped
public class KafkaTriggerRepository implements PanacheRepositoryBase<KafkaTriggerEntity, String> {}
