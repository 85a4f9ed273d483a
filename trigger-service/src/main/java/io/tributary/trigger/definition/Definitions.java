package io.tributary.trigger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventJson;
import io.tributary.support.ApiException;
import io.tributary.trigger.store.Db;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hooks, schedules and rules in the database: validated, upserted in one transaction each (never
 * half-applied), shared by the REST API and the YAML file loader.
 */
@ApplicationScoped
public class Definitions {
    // Serializes rule writes across instances so two saves cannot close a cycle together.
    private static final long RULES_LOCK = 0x7472696767657231L;

    private final Db db;

    @Inject
    public Definitions(Db db) {
        this.db = db;
    }

    // ---------------------------------------------------------------- hooks

    public List<HookDefinition> hooks() {
        return list("hook", HookDefinition.class);
    }

    public Optional<HookDefinition> hook(String id) {
        return find("hook", id, HookDefinition.class);
    }

    /**
     * Saves a hook; {@code secrets} left out keeps the stored ones (so a PUT need not resend them).
     */
    public Saved saveHook(HookDefinition given, boolean createOnly) {
        return db.tx(c -> saveHook(c, given, createOnly));
    }

    /**
     * Saves a hook of the definitions file. Its {@code enabled} is the file's only when the file
     * never applied this hook or the file's {@code enabled} changed since it last did: otherwise
     * the stored flag (set through the API) is kept. Every other field is the file's.
     */
    public Saved saveHookFromFile(HookDefinition given) {
        return db.tx(
                c -> {
                    boolean fileSays = given.isEnabled();
                    boolean enabled = enabledFromFile(c, "hook", given.id(), fileSays);
                    Saved saved = saveHook(c, given.withEnabled(enabled), false);
                    recordFileEnabled(c, "hook", given.id(), fileSays);
                    return saved;
                });
    }

    /** Enables or disables a hook (unchanged when it already is); empty for an unknown id. */
    public Optional<HookDefinition> setHookEnabled(String id, boolean enabled) {
        if (!Ids.isDefinitionId(id)) {
            return Optional.empty();
        }
        return db.tx(
                c -> {
                    Optional<JsonNode> stored = lockBody(c, "hook", id);
                    if (stored.isEmpty()) {
                        return Optional.empty();
                    }
                    HookDefinition def =
                            DefinitionJson.read(stored.get(), HookDefinition.class)
                                    .withEnabled(enabled);
                    write(c, "hook", def, stored, false);
                    return Optional.of(def);
                });
    }

    private static Saved saveHook(Connection c, HookDefinition given, boolean createOnly)
            throws SQLException {
        Optional<JsonNode> stored = lockBody(c, "hook", given.id());
        HookDefinition def = given;
        if (given.secrets() == null && stored.isPresent()) {
            List<String> secrets =
                    DefinitionJson.read(stored.get(), HookDefinition.class).secrets();
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
        return write(c, "hook", def.validated(), stored, createOnly);
    }

    public boolean deleteHook(String id) {
        return delete("hook", id);
    }

    // ---------------------------------------------------------------- schedules

    public List<ScheduleState> schedules() {
        return db.tx(
                c -> {
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "select body::text, next_fire_at, last_fire_at from schedule order by id");
                            ResultSet rs = ps.executeQuery()) {
                        List<ScheduleState> all = new ArrayList<>();
                        while (rs.next()) {
                            all.add(scheduleState(rs));
                        }
                        return all;
                    }
                });
    }

    public Optional<ScheduleState> schedule(String id) {
        if (!Ids.isDefinitionId(id)) {
            return Optional.empty();
        }
        return db.tx(
                c -> {
                    try (PreparedStatement ps =
                            Db.prepare(
                                    c,
                                    "select body::text, next_fire_at, last_fire_at from schedule where id = ?",
                                    id)) {
                        ResultSet rs = ps.executeQuery();
                        return rs.next() ? Optional.of(scheduleState(rs)) : Optional.empty();
                    }
                });
    }

    /**
     * Saves a schedule. The next fire time is computed from now when the schedule is new, when its
     * cron or zone changed, or when it is enabled again; otherwise it is kept (an unchanged upsert
     * neither skips nor repeats a fire).
     */
    public Saved saveSchedule(ScheduleDefinition given, boolean createOnly, Instant now) {
        ScheduleDefinition def = given.validated();
        return db.tx(c -> saveSchedule(c, def, lockBody(c, "schedule", def.id()), createOnly, now));
    }

    /**
     * Saves a schedule of the definitions file; {@code enabled} as in {@link
     * #saveHookFromFile(HookDefinition)}.
     */
    public Saved saveScheduleFromFile(ScheduleDefinition given, Instant now) {
        ScheduleDefinition def = given.validated();
        return db.tx(
                c -> {
                    boolean fileSays = def.isEnabled();
                    boolean enabled = enabledFromFile(c, "schedule", def.id(), fileSays);
                    Saved saved =
                            saveSchedule(
                                    c,
                                    def.withEnabled(enabled),
                                    lockBody(c, "schedule", def.id()),
                                    false,
                                    now);
                    recordFileEnabled(c, "schedule", def.id(), fileSays);
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
        return db.tx(
                c -> {
                    Optional<JsonNode> stored = lockBody(c, "schedule", id);
                    if (stored.isEmpty()) {
                        return false;
                    }
                    ScheduleDefinition def =
                            DefinitionJson.read(stored.get(), ScheduleDefinition.class)
                                    .withEnabled(enabled);
                    saveSchedule(c, def, stored, false, now);
                    return true;
                });
    }

    private static Saved saveSchedule(
            Connection c,
            ScheduleDefinition def,
            Optional<JsonNode> stored,
            boolean createOnly,
            Instant now)
            throws SQLException {
        if (stored.isPresent() && createOnly) {
            throw ApiException.conflict("schedule " + def.id() + " already exists");
        }
        JsonNode body = DefinitionJson.tree(def);
        Instant next = def.isEnabled() ? def.parsedCron().nextAfter(now).orElse(null) : null;
        if (stored.isEmpty()) {
            Db.update(
                    c,
                    "insert into schedule (id, body, enabled, next_fire_at) values (?, ?::jsonb, ?, ?)",
                    def.id(),
                    body.toString(),
                    def.isEnabled(),
                    next);
            return Saved.CREATED;
        }
        if (stored.get().equals(body)) {
            return Saved.UNCHANGED;
        }
        ScheduleDefinition old = DefinitionJson.read(stored.get(), ScheduleDefinition.class);
        boolean keepNext =
                old.isEnabled()
                        && def.isEnabled()
                        && old.cron().equals(def.cron())
                        && old.timeZone().equals(def.timeZone());
        if (keepNext) {
            Db.update(
                    c,
                    "update schedule set body = ?::jsonb, updated_at = now() where id = ?",
                    body.toString(),
                    def.id());
        } else {
            Db.update(
                    c,
                    "update schedule set body = ?::jsonb, enabled = ?, next_fire_at = ?, updated_at = now() where id = ?",
                    body.toString(),
                    def.isEnabled(),
                    next,
                    def.id());
        }
        return Saved.UPDATED;
    }

    public boolean deleteSchedule(String id) {
        return delete("schedule", id);
    }

    // ---------------------------------------------------------------- rules

    public List<RuleDefinition> rules() {
        return list("rule", RuleDefinition.class);
    }

    public Optional<RuleDefinition> rule(String id) {
        return find("rule", id, RuleDefinition.class);
    }

    /** Saves a rule unless, with the other enabled rules, it would close a cycle (409). */
    public Saved saveRule(RuleDefinition given, boolean createOnly) {
        RuleDefinition def = given.validated();
        return db.tx(
                c -> {
                    Db.execute(c, "select pg_advisory_xact_lock(?)", RULES_LOCK);
                    Optional<JsonNode> stored = lockBody(c, "rule", def.id());
                    if (def.isEnabled()) {
                        List<RuleDefinition> others = new ArrayList<>();
                        for (RuleDefinition r : readAll(c, "rule", RuleDefinition.class)) {
                            if (!r.id().equals(def.id()) && r.isEnabled()) {
                                others.add(r);
                            }
                        }
                        others.add(def);
                        RuleGraph.findCycle(others)
                                .ifPresent(
                                        cycle -> {
                                            throw ApiException.conflict(
                                                    "rule "
                                                            + def.id()
                                                            + " would close a cycle of syncs: "
                                                            + cycle);
                                        });
                    }
                    return write(c, "rule", def, stored, createOnly);
                });
    }

    public boolean deleteRule(String id) {
        return delete("rule", id);
    }

    // ---------------------------------------------------------------- kafka triggers

    public List<KafkaTriggerDefinition> kafkaTriggers() {
        return list("kafka_trigger", KafkaTriggerDefinition.class);
    }

    public Optional<KafkaTriggerDefinition> kafkaTrigger(String id) {
        return find("kafka_trigger", id, KafkaTriggerDefinition.class);
    }

    public Saved saveKafkaTrigger(KafkaTriggerDefinition given, boolean createOnly) {
        KafkaTriggerDefinition def = given.validated();
        return db.tx(
                c -> {
                    Optional<JsonNode> stored = lockBody(c, "kafka_trigger", def.id());
                    if (stored.isPresent() && createOnly) {
                        throw ApiException.conflict(
                                "kafka trigger " + def.id() + " already exists");
                    }
                    return write(c, "kafka_trigger", def, stored, createOnly);
                });
    }

    /** Deletes a Kafka trigger and its per-connection interval state. */
    public boolean deleteKafkaTrigger(String id) {
        if (!Ids.isDefinitionId(id)) {
            return false;
        }
        return db.tx(
                c -> {
                    Db.update(c, "delete from kafka_trigger_throttle where trigger_id = ?", id);
                    return Db.update(c, "delete from kafka_trigger where id = ?", id) == 1;
                });
    }

    // ---------------------------------------------------------------- shared

    private <T> List<T> list(String table, Class<T> type) {
        return db.tx(c -> readAll(c, table, type));
    }

    private static <T> List<T> readAll(Connection c, String table, Class<T> type)
            throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("select body::text from " + table + " order by id");
                ResultSet rs = ps.executeQuery()) {
            List<T> all = new ArrayList<>();
            while (rs.next()) {
                all.add(DefinitionJson.read(EventJson.tree(rs.getString(1)), type));
            }
            return all;
        }
    }

    private <T> Optional<T> find(String table, String id, Class<T> type) {
        if (!Ids.isDefinitionId(id)) {
            return Optional.empty();
        }
        return db.tx(
                c -> {
                    try (PreparedStatement ps =
                            Db.prepare(
                                    c, "select body::text from " + table + " where id = ?", id)) {
                        ResultSet rs = ps.executeQuery();
                        return rs.next()
                                ? Optional.of(
                                        DefinitionJson.read(EventJson.tree(rs.getString(1)), type))
                                : Optional.empty();
                    }
                });
    }

    private static Optional<JsonNode> lockBody(Connection c, String table, String id)
            throws SQLException {
        try (PreparedStatement ps =
                Db.prepare(c, "select body::text from " + table + " where id = ? for update", id)) {
            ResultSet rs = ps.executeQuery();
            return rs.next() ? Optional.of(EventJson.tree(rs.getString(1))) : Optional.empty();
        }
    }

    private static Saved write(
            Connection c, String table, Object def, Optional<JsonNode> stored, boolean createOnly)
            throws SQLException {
        JsonNode body = DefinitionJson.tree(def);
        String id = body.get("id").asText();
        if (stored.isPresent() && createOnly) {
            throw ApiException.conflict(table + " " + id + " already exists");
        }
        if (stored.isEmpty()) {
            Db.update(
                    c,
                    "insert into " + table + " (id, body) values (?, ?::jsonb)",
                    id,
                    body.toString());
            return Saved.CREATED;
        }
        if (stored.get().equals(body)) {
            return Saved.UNCHANGED;
        }
        Db.update(
                c,
                "update " + table + " set body = ?::jsonb, updated_at = now() where id = ?",
                body.toString(),
                id);
        return Saved.UPDATED;
    }

    private boolean delete(String table, String id) {
        if (!Ids.isDefinitionId(id)) {
            return false;
        }
        return db.tx(c -> Db.update(c, "delete from " + table + " where id = ?", id) == 1);
    }

    /**
     * The enabled flag a definitions-file item is saved with: the file's, unless the file applied
     * this item before with the same flag — then the stored one, which the API may have changed.
     */
    private static boolean enabledFromFile(Connection c, String table, String id, boolean fileSays)
            throws SQLException {
        try (PreparedStatement ps =
                Db.prepare(
                        c,
                        "select file_enabled, coalesce((body->>'enabled')::boolean, true) from "
                                + table
                                + " where id = ? for update",
                        id)) {
            ResultSet rs = ps.executeQuery();
            if (!rs.next()) {
                return fileSays;
            }
            boolean lastFromFile = rs.getBoolean(1);
            if (rs.wasNull() || lastFromFile != fileSays) {
                return fileSays;
            }
            return rs.getBoolean(2);
        }
    }

    /** Remembers what the file said about {@code enabled} when it applied this item. */
    private static void recordFileEnabled(Connection c, String table, String id, boolean fileSays)
            throws SQLException {
        Db.update(
                c,
                "update "
                        + table
                        + " set file_enabled = ? where id = ? and file_enabled is distinct from ?",
                fileSays,
                id,
                fileSays);
    }

    private static ScheduleState scheduleState(ResultSet rs) throws SQLException {
        return new ScheduleState(
                DefinitionJson.read(EventJson.tree(rs.getString(1)), ScheduleDefinition.class),
                Db.instant(rs.getTimestamp(2)),
                Db.instant(rs.getTimestamp(3)));
    }
}
