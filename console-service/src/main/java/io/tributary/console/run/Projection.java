package io.tributary.console.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.Parsed;
import io.tributary.events.ReceivedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Projects pipeline events into the read model: each event is stored once (by ce_id), linked to the
 * runs it belongs to, and those runs' summaries are derived again from all their events. A record
 * that is not a readable CloudEvent is counted, never a reason to stop. Callers bring the
 * transaction.
 */
@ApplicationScoped
public class Projection {
    private static final Logger LOG = Logger.getLogger(Projection.class);

    @Inject EventRepository events;
    @Inject RunRepository runs;
    @Inject UnreadableRepository unreadable;

    /** What became of a record. */
    public enum Outcome {
        PROJECTED,
        DUPLICATE,
        UNREADABLE,
        NO_RUN
    }

    public Outcome apply(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = CloudEventKafka.read(record);
        if (parsed instanceof Parsed.Invalid invalid) {
            unreadable.record(record, invalid.reason());
            return Outcome.UNREADABLE;
        }
        ReceivedEvent e = ((Parsed.Ok) parsed).event();
        if (e.data() == null || !e.data().isObject()) {
            unreadable.record(record, "data is not a JSON object");
            return Outcome.UNREADABLE;
        }
        StoredEvent stored =
                new StoredEvent(
                        e.id(),
                        e.type(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key(),
                        e.time() != null ? e.time() : Instant.ofEpochMilli(record.timestamp()),
                        text(e.data(), "correlationId"),
                        e.data(),
                        headers(record));
        return apply(stored);
    }

    /** Projects one stored-to-be event; the same event twice changes nothing. */
    public Outcome apply(StoredEvent e) {
        if (!events.insert(e)) {
            return Outcome.DUPLICATE;
        }
        Set<String> own = ownRuns(e);
        Set<String> touched = new LinkedHashSet<>(own);
        List<String[]> links = new ArrayList<>();
        own.forEach(run -> links.add(new String[] {run, e.eventId()}));
        // Events that arrived before this one and belong to its runs too.
        if (e.type().equals("io.tributary.sync.requested") && e.text("requestId") != null) {
            for (String served : events.eventsServingRequest(e.text("requestId"))) {
                own.forEach(run -> links.add(new String[] {run, served}));
                // ... and what was said about those (their notifications), so that the result
                // does not depend on which arrived first.
                for (String notification : events.notificationsAbout(served)) {
                    own.forEach(run -> links.add(new String[] {run, notification}));
                }
            }
        }
        for (String notification : events.notificationsAbout(e.eventId())) {
            own.forEach(run -> links.add(new String[] {run, notification}));
        }
        if (touched.isEmpty()) {
            LOG.debugf("%s %s belongs to no run", e.type(), e.eventId());
            return Outcome.NO_RUN;
        }
        events.lockRuns(touched);
        for (String[] link : links) {
            events.link(link[0], link[1]);
        }
        for (String run : touched) {
            runs.save(RunSummary.of(run, events.ofRun(run)));
        }
        return Outcome.PROJECTED;
    }

    /** The runs an event names itself, or through the requests or the event it refers to. */
    private Set<String> ownRuns(StoredEvent e) {
        Set<String> runs = new LinkedHashSet<>();
        if (e.correlationId() != null) {
            runs.add(e.correlationId());
        }
        e.data().path("correlationIds").forEach(c -> runs.add(c.asText()));
        List<String> requestIds = new ArrayList<>();
        e.data().path("requestIds").forEach(r -> requestIds.add(r.asText()));
        runs.addAll(events.runsOfRequests(requestIds));
        String about = e.text("eventId");
        if (about != null && e.type().startsWith("io.tributary.notification.")) {
            runs.addAll(events.runsOf(about));
        }
        return runs;
    }

    static JsonNode headers(ConsumerRecord<String, byte[]> record) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (Header h : record.headers()) {
            headers.put(
                    h.key(),
                    h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String text(JsonNode data, String field) {
        JsonNode n = data == null ? null : data.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
