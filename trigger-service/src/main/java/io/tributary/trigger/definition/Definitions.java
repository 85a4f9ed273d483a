package io.tributary.trigger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import io.tributary.events.EventJson;
import io.tributary.support.ApiException;
import io.tributary.support.BoundedCalls;
import io.tributary.trigger.config.TriggerConfig;
import io.tributary.trigger.kafka.KafkaTriggerThrottleRepository;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Hooks, schedules, rules and Kafka triggers in the database: validated, upserted in one
 * transaction each (never half-applied), shared by the REST API and the YAML file loader. Reads
 * join the caller's transaction if there is one.
 */
@ApplicationScoped
public class Definitions {
    private static final Logger LOG = Logger.getLogger(Definitions.class);

    @Inject HookRepository hooks;
    @Inject ScheduleRepository schedules;
    @Inject RuleRepository rules;
    @Inject KafkaTriggerRepository kafkaTriggers;
    @Inject KafkaTriggerThrottleRepository throttles;
    @Inject TriggerConfig config;
    @Inject BoundedCalls bounded;

    /** Hooks as the webhook endpoint last read them, by id (known hooks only, so bounded). */
    private final Map<String, CachedHook> hookCache = new ConcurrentHashMap<>();

    private record CachedHook(HookDefinition hook, long readAt) {}

    // ---------------------------------------------------------------- hooks

    public List<HookDefinition> hooks() {
        return list(hooks, HookDefinition.class);
    }

    public Optional<HookDefinition> hook(String id) {
        return find(hooks, id, HookDefinition.class);
    }

    /**
     * A hook for a delivery: read at most once per {@code hook-cache-ttl}, so a burst of deliveries
     * does not read and parse the same definition each time. This instance's own changes apply at
     * once; another replica's within the TTL. A read waits until {@code deadline} at most (503).
     */
    public Optional<HookDefinition> hookForDelivery(String id, long deadline) {
        long ttl = config.hookCacheTtl().toNanos();
        long now = System.nanoTime();
        CachedHook cached = hookCache.get(id);
        if (cached != null && now - cached.readAt() < ttl) {
            return Optional.of(cached.hook());
        }
        Optional<HookDefinition> read = bounded.call(deadline, "the database", () -> hook(id));
        read.ifPresentOrElse(
                h -> hookCache.put(id, new CachedHook(h, now)), () -> hookCache.remove(id));
        return read;
    }

    private <T> T forgetHook(String id, T result) {
        hookCache.remove(id);
        return result;
    }

    /**
     * Saves a hook; {@code secrets} left out keeps the stored ones (so a PUT need not resend them).
     */
    public Saved saveHook(HookDefinition given, boolean createOnly) {
        return forgetHook(
                given.id(),
                QuarkusTransaction.requiringNew().call(() -> saveHookInTx(given, createOnly)));
    }

    /**
     * Saves a hook of the definitions file. Its {@code enabled} is the file's only when the file
     * never applied this hook or the file's {@code enabled} changed since it last did: otherwise
     * the stored flag (set through the API) is kept. Every other field is the file's.
     */
    public Saved saveHookFromFile(HookDefinition given) {
        return forgetHook(given.id(), saveHookFromFileInTx(given));
    }

    private Saved saveHookFromFileInTx(HookDefinition given) {
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            boolean fileSays = given.isEnabled();
                            Optional<HookEntity> stored = lock(hooks, given.id());
                            boolean enabled =
                                    enabledFromFile(
                                            stored.map(h -> h.fileEnabled),
                                            stored.map(h -> h.body),
                                            fileSays);
                            Saved saved = saveHookInTx(given.withEnabled(enabled), false);
                            hooks.findById(given.id()).fileEnabled = fileSays;
                            return saved;
                        });
    }

    /** Enables or disables a hook (unchanged when it already is); empty for an unknown id. */
    public Optional<HookDefinition> setHookEnabled(String id, boolean enabled) {
        if (!Ids.isDefinitionId(id)) {
            return Optional.empty();
        }
        return forgetHook(id, setHookEnabledInTx(id, enabled));
    }

    private Optional<HookDefinition> setHookEnabledInTx(String id, boolean enabled) {
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            Optional<HookEntity> stored = lock(hooks, id);
                            if (stored.isEmpty()) {
                                return Optional.empty();
                            }
                            HookDefinition def =
                                    read(stored.get(), HookDefinition.class).withEnabled(enabled);
                            write(hooks, HookEntity::new, stored, "hook", def, false);
                            return Optional.of(def);
                        });
    }

    private Saved saveHookInTx(HookDefinition given, boolean createOnly) {
        Optional<HookEntity> stored = lock(hooks, given.id());
        HookDefinition def = given;
        if (given.secrets() == null && stored.isPresent()) {
            List<String> secrets = read(stored.get(), HookDefinition.class).secrets();
            def =
                    new HookDefinition(
                            given.id(),
                            given.scheme(),
                            secrets,
                            given.signatureHeader(),
                            given.timestampHeader(),
                            given.deliveryIdHeader(),
                            given.connectionIds(),
                            given.jobType(),
                            given.filter(),
                            given.enabled());
        }
        return write(hooks, HookEntity::new, stored, "hook", def.validated(), createOnly);
    }

    public boolean deleteHook(String id) {
        return forgetHook(id, delete(hooks, id));
    }

    // ---------------------------------------------------------------- schedules

    public List<ScheduleState> schedules() {
        return QuarkusTransaction.joiningExisting()
                .call(
                        () ->
                                schedules.listAll(Sort.by("id")).stream()
                                        .map(Definitions::state)
                                        .toList());
    }

    public Optional<ScheduleState> schedule(String id) {
        if (!Ids.isDefinitionId(id)) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting()
                .call(() -> schedules.findByIdOptional(id).map(Definitions::state));
    }

    /**
     * Saves a schedule. The next fire time is computed from now when the schedule is new, when its
     * cron or zone changed, or when it is enabled again; otherwise it is kept (an unchanged upsert
     * neither skips nor repeats a fire).
     */
    public Saved saveSchedule(ScheduleDefinition given, boolean createOnly, Instant now) {
        ScheduleDefinition def = given.validated();
        return QuarkusTransaction.requiringNew()
                .call(() -> saveSchedule(def, lock(schedules, def.id()), createOnly, now));
    }

    /**
     * Saves a schedule of the definitions file; {@code enabled} as in {@link
     * #saveHookFromFile(HookDefinition)}.
     */
    public Saved saveScheduleFromFile(ScheduleDefinition given, Instant now) {
        ScheduleDefinition def = given.validated();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            boolean fileSays = def.isEnabled();
                            Optional<ScheduleEntity> stored = lock(schedules, def.id());
                            boolean enabled =
                                    enabledFromFile(
                                            stored.map(s -> s.fileEnabled),
                                            stored.map(s -> s.body),
                                            fileSays);
                            Saved saved =
                                    saveSchedule(def.withEnabled(enabled), stored, false, now);
                            schedules.findById(def.id()).fileEnabled = fileSays;
                            return saved;
                        });
    }

    /**
     * Enables or disables a schedule (unchanged when it already is; enabling computes the next fire
     * time from now, so fire times passed while disabled are not made up). False for an unknown id.
     */
    public boolean setScheduleEnabled(String id, boolean enabled, Instant now) {
        if (!Ids.isDefinitionId(id)) {
            return false;
        }
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            Optional<ScheduleEntity> stored = lock(schedules, id);
                            if (stored.isEmpty()) {
                                return false;
                            }
                            ScheduleDefinition def =
                                    read(stored.get(), ScheduleDefinition.class)
                                            .withEnabled(enabled);
                            saveSchedule(def, stored, false, now);
                            return true;
                        });
    }

    private Saved saveSchedule(
            ScheduleDefinition def,
            Optional<ScheduleEntity> stored,
            boolean createOnly,
            Instant now) {
        if (stored.isPresent() && createOnly) {
            throw ApiException.conflict("schedule " + def.id() + " already exists");
        }
        JsonNode body = DefinitionJson.tree(def);
        Instant next = def.isEnabled() ? def.parsedCron().nextAfter(now).orElse(null) : null;
        if (stored.isEmpty()) {
            ScheduleEntity created = created(new ScheduleEntity(), def.id(), body);
            created.enabled = def.isEnabled();
            created.nextFireAt = next;
            schedules.persist(created);
            return Saved.CREATED;
        }
        ScheduleEntity row = stored.get();
        if (EventJson.tree(row.body).equals(body)) {
            return Saved.UNCHANGED;
        }
        ScheduleDefinition old = read(row, ScheduleDefinition.class);
        boolean keepNext =
                old.isEnabled()
                        && def.isEnabled()
                        && old.cron().equals(def.cron())
                        && old.timeZone().equals(def.timeZone());
        row.body = body.toString();
        row.updatedAt = Instant.now();
        if (!keepNext) {
            row.enabled = def.isEnabled();
            row.nextFireAt = next;
        }
        return Saved.UPDATED;
    }

    public boolean deleteSchedule(String id) {
        return delete(schedules, id);
    }

    // ---------------------------------------------------------------- rules

    public List<RuleDefinition> rules() {
        return list(rules, RuleDefinition.class);
    }

    public Optional<RuleDefinition> rule(String id) {
        return find(rules, id, RuleDefinition.class);
    }

    /** Saves a rule unless, with the other enabled rules, it would close a cycle (409). */
    public Saved saveRule(RuleDefinition given, boolean createOnly) {
        RuleDefinition def = given.validated();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            rules.lockWrites();
                            Optional<RuleEntity> stored = lock(rules, def.id());
                            if (def.isEnabled()) {
                                List<RuleDefinition> others = new ArrayList<>();
                                for (RuleEntity r : rules.listAll()) {
                                    RuleDefinition other = read(r, RuleDefinition.class);
                                    if (!other.id().equals(def.id()) && other.isEnabled()) {
                                        others.add(other);
                                    }
                                }
                                others.add(def);
                                RuleGraph.findCycle(others)
                                        .ifPresent(
                                                cycle -> {
                                                    throw ApiException.conflict(
                                                            "rule "
                                                                    + def.id()
                                                                    + " would close a cycle of"
                                                                    + " syncs: "
                                                                    + cycle);
                                                });
                            }
                            return write(rules, RuleEntity::new, stored, "rule", def, createOnly);
                        });
    }

    public boolean deleteRule(String id) {
        return delete(rules, id);
    }

    // ---------------------------------------------------------------- kafka triggers

    public List<KafkaTriggerDefinition> kafkaTriggers() {
        return list(kafkaTriggers, KafkaTriggerDefinition.class);
    }

    public Optional<KafkaTriggerDefinition> kafkaTrigger(String id) {
        return find(kafkaTriggers, id, KafkaTriggerDefinition.class);
    }

    public Saved saveKafkaTrigger(KafkaTriggerDefinition given, boolean createOnly) {
        KafkaTriggerDefinition def = given.validated();
        return QuarkusTransaction.requiringNew()
                .call(
                        () ->
                                write(
                                        kafkaTriggers,
                                        KafkaTriggerEntity::new,
                                        lock(kafkaTriggers, def.id()),
                                        "kafka trigger",
                                        def,
                                        createOnly));
    }

    /** Deletes a Kafka trigger and its per-connection interval state. */
    public boolean deleteKafkaTrigger(String id) {
        if (!Ids.isDefinitionId(id)) {
            return false;
        }
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            throttles.delete("triggerId", id);
                            return kafkaTriggers.deleteById(id);
                        });
    }

    // ---------------------------------------------------------------- stored pre-CEL conditions

    /**
     * Before anything reads them: stored hooks, rules and Kafka triggers whose condition is still
     * in a pre-CEL syntax are rewritten with its CEL translation (once, after the upgrade).
     */
    void upgradeStoredConditions(@Observes @Priority(1000) StartupEvent event) {
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            upgrade(hooks, HookDefinition.class, HookDefinition::validated);
                            upgrade(rules, RuleDefinition.class, RuleDefinition::validated);
                            upgrade(
                                    kafkaTriggers,
                                    KafkaTriggerDefinition.class,
                                    KafkaTriggerDefinition::validated);
                        });
    }

    private <E extends DefinitionEntity, T> void upgrade(
            PanacheRepositoryBase<E, String> repository,
            Class<T> type,
            UnaryOperator<T> validated) {
        for (E row : repository.listAll()) {
            JsonNode stored = EventJson.tree(row.body);
            try {
                if (LegacyConditions.upgrade(stored, type) == stored) {
                    continue;
                }
                row.body =
                        DefinitionJson.tree(validated.apply(DefinitionJson.read(stored, type)))
                                .toString();
                row.updatedAt = Instant.now();
            } catch (ApiException e) {
                LOG.errorf(
                        "%s %s: its pre-CEL condition cannot be translated, fix it: %s",
                        type.getSimpleName(), row.id, e.detail());
            }
        }
    }

    // ---------------------------------------------------------------- shared

    private static <E extends DefinitionEntity, T> List<T> list(
            PanacheRepositoryBase<E, String> repository, Class<T> type) {
        return QuarkusTransaction.joiningExisting()
                .call(
                        () ->
                                repository.listAll(Sort.by("id")).stream()
                                        .map(e -> read(e, type))
                                        .toList());
    }

    private static <E extends DefinitionEntity, T> Optional<T> find(
            PanacheRepositoryBase<E, String> repository, String id, Class<T> type) {
        if (!Ids.isDefinitionId(id)) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting()
                .call(() -> repository.findByIdOptional(id).map(e -> read(e, type)));
    }

    /** The row, locked until the transaction ends (empty: none yet). */
    private static <E extends DefinitionEntity> Optional<E> lock(
            PanacheRepositoryBase<E, String> repository, String id) {
        return repository.findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    private static <T> T read(DefinitionEntity row, Class<T> type) {
        return DefinitionJson.read(EventJson.tree(row.body), type);
    }

    private static <E extends DefinitionEntity> Saved write(
            PanacheRepositoryBase<E, String> repository,
            Supplier<E> create,
            Optional<E> stored,
            String kind,
            Object def,
            boolean createOnly) {
        JsonNode body = DefinitionJson.tree(def);
        String id = body.get("id").asText();
        if (stored.isPresent() && createOnly) {
            throw ApiException.conflict(kind + " " + id + " already exists");
        }
        if (stored.isEmpty()) {
            repository.persist(created(create.get(), id, body));
            return Saved.CREATED;
        }
        E row = stored.get();
        if (EventJson.tree(row.body).equals(body)) {
            return Saved.UNCHANGED;
        }
        row.body = body.toString();
        row.updatedAt = Instant.now();
        return Saved.UPDATED;
    }

    private static <E extends DefinitionEntity> E created(E row, String id, JsonNode body) {
        row.id = id;
        row.body = body.toString();
        row.createdAt = Instant.now();
        row.updatedAt = row.createdAt;
        return row;
    }

    private static <E extends DefinitionEntity> boolean delete(
            PanacheRepositoryBase<E, String> repository, String id) {
        if (!Ids.isDefinitionId(id)) {
            return false;
        }
        return QuarkusTransaction.requiringNew().call(() -> repository.deleteById(id));
    }

    /**
     * The enabled flag a definitions-file item is saved with: the file's, unless the file applied
     * this item before with the same flag — then the stored one, which the API may have changed.
     */
    private static boolean enabledFromFile(
            Optional<Boolean> lastFromFile, Optional<String> storedBody, boolean fileSays) {
        if (lastFromFile.isEmpty() || lastFromFile.get() != fileSays) {
            return fileSays;
        }
        return EventJson.tree(storedBody.get()).path("enabled").asBoolean(true);
    }

    private static ScheduleState state(ScheduleEntity row) {
        return new ScheduleState(
                read(row, ScheduleDefinition.class), row.nextFireAt, row.lastFireAt);
    }
}
