package io.tributary.trigger.definition;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code hook} table. */
@ApplicationScoped
public class HookRepository implements PanacheRepositoryBase<HookEntity, String> {}
