package io.tributary.trigger.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.EventIds;
import io.tributary.events.EventJson;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.Trigger;
import io.tributary.events.TriggerKind;
import io.tributary.trigger.definition.DefinitionJson;
import io.tributary.trigger.definition.RuleDefinition;
import io.tributary.trigger.store.Db;
import io.tributary.trigger.store.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies the event rules to one sync event, once per {@code ce_id}: the event is recorded as
 * processed and the requests it causes go to the outbox in one transaction.
 */
@ApplicationScoped
public class RuleEngine {
    private final Db db;
    private final Outbox outbox;

    @Inject
    public RuleEngine(Db db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * @return the requests caused (empty for a repeat or when no rule matches)
     * @throws RejectedRecordException when the event lacks what rules need
     */
    public List<SyncRequested> handle(ReceivedEvent event) {
        JsonNode data = event.data();
        String connectionId = text(data, "connectionId");
        if (connectionId == null) {
            throw new RejectedRecordException(
                    event.type() + " " + event.id() + " has no connectionId");
        }
        String correlationId = text(data, "correlationId");
        List<SyncRequested> caused =
                db.tx(
                        c -> {
                            int fresh =
                                    Db.update(
                                            c,
                                            "insert into processed_event (event_id) values (?) on conflict do nothing",
                                            event.id());
                            if (fresh == 0) {
                                return List.<SyncRequested>of();
                            }
                            List<SyncRequested> requests = new ArrayList<>();
                            for (RuleDefinition rule : enabledRules(c)) {
                                if (matches(rule, event, connectionId)) {
                                    requests.addAll(requests(rule, event, correlationId));
                                }
                            }
                            Outbox.add(c, requests);
                            return requests;
                        });
        if (!caused.isEmpty()) {
            outbox.relay();
        }
        return caused;
    }

    static boolean matches(RuleDefinition rule, ReceivedEvent event, String connectionId) {
        return rule.eventTypes().contains(event.type())
                && rule.sourceConnectionIds().contains(connectionId.toLowerCase(Locale.ROOT))
                && Condition.parse(rule.condition()).test(event.data());
    }

    static List<SyncRequested> requests(
            RuleDefinition rule, ReceivedEvent event, String correlationId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JobType jobType = rule.jobType();
        List<SyncRequested> requests = new ArrayList<>();
        for (String target : rule.targetConnectionIds()) {
            String requestId =
                    EventIds.derive("rule", rule.id(), event.id(), target, jobType.wire());
            requests.add(
                    new SyncRequested(
                            requestId,
                            target,
                            jobType,
                            now,
                            new Trigger(TriggerKind.EVENT, rule.id(), event.id()),
                            correlationId != null ? correlationId : event.id()));
        }
        return requests;
    }

    private static List<RuleDefinition> enabledRules(Connection c) throws SQLException {
        List<RuleDefinition> rules = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select body::text from rule order by id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                RuleDefinition r =
                        DefinitionJson.read(EventJson.tree(rs.getString(1)), RuleDefinition.class);
                if (r.isEnabled()) {
                    rules.add(r);
                }
            }
        }
        return rules;
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
