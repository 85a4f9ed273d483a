package io.tributary.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Pipeline events as the services publish them (CloudEvents in Kafka's binary mode, data written as
 * JSON by hand so the story reads like the wire), built into a few runs with unique ids.
 */
final class Story {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String SCRIPT = "<script>window.__pwned = 1</script>";

    final String tag = UUID.randomUUID().toString().substring(0, 8);
    final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-29T10:00:00Z");
    private final java.util.Map<Long, Instant> jobStarts = new java.util.HashMap<>();

    /** Starts the story's clock now (by default it runs on a fixed past day). */
    Story fromNow() {
        clock = Instant.now();
        return this;
    }

    /** Moves the story's clock. */
    Instant at(long secondsLater) {
        clock = clock.plusSeconds(secondsLater);
        return clock;
    }

    String requested(String requestId, String connection, String corr, String kind, String id) {
        ObjectNode d = JSON.objectNode();
        d.put("requestId", requestId)
                .put("connectionId", connection)
                .put("jobType", "sync")
                .put("requestedAt", clock.toString())
                .put("correlationId", corr);
        d.putObject("trigger").put("kind", kind).put("id", id).put("detail", "from the story");
        return add(EventType.SYNC_REQUESTED, requestId, connection, d);
    }

    String started(long jobId, String connection, String corr, String... requestIds) {
        ObjectNode d = job(jobId, connection, corr, requestIds);
        return add(EventType.SYNC_STARTED, "started-" + tag + "-" + jobId, connection, d);
    }

    String ended(
            EventType type,
            long jobId,
            String connection,
            String corr,
            Long rows,
            String reason,
            String message,
            String... requestIds) {
        ObjectNode d = job(jobId, connection, corr, requestIds);
        d.put("status", type.type().substring("io.tributary.sync.".length()))
                .put("finishedAt", clock.toString());
        if (rows != null) {
            d.put("rowsSynced", rows).put("bytesSynced", rows * 100);
        }
        if (reason != null) {
            d.put("reason", reason).put("message", message);
        }
        return add(type, "ended-" + tag + "-" + jobId, connection, d);
    }

    /** A request refused before any job (no jobId). */
    String refused(String requestId, String connection, String corr, String message) {
        ObjectNode d = JSON.objectNode();
        d.put("connectionId", connection).put("jobType", "sync").put("attached", false);
        d.putArray("requestIds").add(requestId);
        d.put("correlationId", corr)
                .put("status", "failed")
                .put("finishedAt", clock.toString())
                .put("reason", "connection_not_found")
                .put("message", message);
        return add(EventType.SYNC_FAILED, "refused-" + requestId, connection, d);
    }

    String transform(
            EventType type,
            String name,
            String runId,
            String corr,
            List<String> corrs,
            String failingTest,
            String message) {
        return transform(type, name, runId, corr, corrs, failingTest, message, JSON.objectNode());
    }

    /** A transform event with more fields (selection, retry) in its data. */
    String transform(
            EventType type,
            String name,
            String runId,
            String corr,
            List<String> corrs,
            String failingTest,
            String message,
            ObjectNode more) {
        ObjectNode d = JSON.objectNode();
        d.put("transformName", name)
                .put("runId", runId)
                .put("status", type.type().substring("io.tributary.transform.".length()))
                .put("command", "build")
                .put("target", "dev")
                .put(
                        "startedAt",
                        clock.minusSeconds(type == EventType.TRANSFORM_STARTED ? 0 : 7).toString())
                .put("correlationId", corr);
        ArrayNode list = d.putArray("correlationIds");
        corrs.forEach(list::add);
        d.putObject("trigger").put("kind", "sync").putArray("connectionIds");
        if (type == EventType.TRANSFORM_SKIPPED) {
            d.put("startedAt", clock.toString()).put("finishedAt", clock.toString());
            d.put("message", message).putArray("failures");
        } else if (type != EventType.TRANSFORM_STARTED) {
            d.put("finishedAt", clock.toString())
                    .put("elapsed", "PT7S")
                    .put("exitCode", failingTest == null ? 0 : 1);
            d.putObject("summary")
                    .put("success", 5)
                    .put("error", 0)
                    .put("skipped", 0)
                    .put("pass", failingTest == null ? 16 : 15)
                    .put("fail", failingTest == null ? 0 : 1)
                    .put("warn", 0);
            ArrayNode failures = d.putArray("failures");
            if (failingTest != null) {
                failures.addObject()
                        .put("uniqueId", failingTest)
                        .put("status", failingTest.startsWith("test.") ? "fail" : "error")
                        .put("message", message);
            }
        }
        d.setAll(more);
        return add(type, type.type() + "-" + tag + "-" + runId, name, d);
    }

    String notified(EventType type, String about, String aboutType, String corr, String channel) {
        ObjectNode d = JSON.objectNode();
        String delivery = "delivery-" + tag + "-" + about;
        d.put("subscriptionId", "everything")
                .put("channel", channel)
                .put("eventId", about)
                .put("eventType", aboutType)
                .put("attempts", 1)
                .put("status", type == EventType.NOTIFICATION_DELIVERED ? "delivered" : "failed")
                .put("deliveryId", delivery)
                .put("correlationId", corr);
        return add(type, "notified-" + delivery, "everything", d);
    }

    /**
     * A job's successful end with what it committed per stream: {@code {namespace, name, records}}
     * triples (records null: not reported).
     */
    String endedWithStreams(
            long jobId, String connection, String corr, Object[][] streams, String... requestIds) {
        ObjectNode d = job(jobId, connection, corr, requestIds);
        long rows = 0;
        ArrayNode list = d.putArray("streams");
        for (Object[] st : streams) {
            ObjectNode n =
                    list.addObject().put("namespace", (String) st[0]).put("name", (String) st[1]);
            if (st[2] != null) {
                n.put("recordsCommitted", (Long) st[2]).put("bytesCommitted", (Long) st[2] * 100);
                rows += Math.max(0, (Long) st[2]);
            }
        }
        d.put("status", "succeeded")
                .put("finishedAt", clock.toString())
                .put("rowsSynced", rows)
                .put("bytesSynced", rows * 100);
        return add(EventType.SYNC_SUCCEEDED, "ended-" + tag + "-" + jobId, connection, d);
    }

    private ObjectNode job(long jobId, String connection, String corr, String... requestIds) {
        ObjectNode d = JSON.objectNode();
        d.put("connectionId", connection)
                .put("jobId", jobId)
                .put("jobType", "sync")
                .put("attached", false);
        ArrayNode ids = d.putArray("requestIds");
        for (String r : requestIds) {
            ids.add(r);
        }
        d.put("startedAt", jobStarts.computeIfAbsent(jobId, j -> clock).toString())
                .put("correlationId", corr);
        return d;
    }

    private String add(EventType type, String ceId, String key, ObjectNode data) {
        records.add(
                CloudEventKafka.record(
                        type,
                        ceId,
                        key,
                        data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "/tests/story",
                        clock,
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        return ceId;
    }

    /** The records as a consumer would see them, at made-up offsets. */
    static List<ConsumerRecord<String, byte[]>> consumed(
            List<ProducerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long offset = 0;
        for (ProducerRecord<String, byte[]> r : records) {
            out.add(
                    new ConsumerRecord<>(
                            r.topic(),
                            0,
                            offset++,
                            r.timestamp() == null ? 0L : r.timestamp(),
                            TimestampType.CREATE_TIME,
                            -1,
                            r.value().length,
                            r.key(),
                            r.value(),
                            r.headers(),
                            java.util.Optional.empty()));
        }
        return out;
    }

    /**
     * Four runs. A: a webhook's sync (job 11, which also serves B's request), a failing dbt build
     * (its test message holds a script tag), a Slack notification. B: a schedule whose request job
     * 11 served. C: a request Airbyte refused (its message holds a script tag). D: a request still
     * waiting.
     */
    static Story fourRuns() {
        Story s = new Story();
        String a = "run-a-" + s.tag;
        String b = "run-b-" + s.tag;
        String c = "run-c-" + s.tag;
        String d = "run-d-" + s.tag;
        String shop = "c0ffee00-0000-4000-8000-" + s.tag + "0001";
        String crm = "c0ffee00-0000-4000-8000-" + s.tag + "0002";
        String rb = "req-b-" + s.tag;
        s.requested(rb, shop, b, "schedule", "nightly");
        s.at(1);
        String ra = "req-a-" + s.tag;
        s.requested(ra, shop, a, "webhook", "demo-shop");
        s.at(1);
        s.started(11, shop, a, ra, rb);
        s.at(20);
        s.ended(
                io.tributary.events.EventType.SYNC_SUCCEEDED,
                11,
                shop,
                a,
                120L,
                null,
                null,
                ra,
                rb);
        s.at(1);
        s.transform(
                EventType.TRANSFORM_STARTED,
                "shop_marts",
                "dbt-1-" + s.tag,
                a,
                List.of(a, b),
                null,
                null);
        s.at(7);
        String failed =
                s.transform(
                        EventType.TRANSFORM_FAILED,
                        "shop_marts",
                        "dbt-1-" + s.tag,
                        a,
                        List.of(a, b),
                        "test.shop.not_null_orders_customer_id",
                        "Got 1 result, configured to fail if != 0 " + SCRIPT);
        s.at(1);
        s.notified(
                EventType.NOTIFICATION_DELIVERED,
                failed,
                EventType.TRANSFORM_FAILED.type(),
                a,
                "slack");
        s.at(5);
        String rc = "req-c-" + s.tag;
        s.requested(rc, crm, c, "manual", "alice");
        s.at(1);
        s.refused(rc, crm, c, "Airbyte has no connection " + SCRIPT);
        s.at(3);
        s.requested("req-d-" + s.tag, crm, d, "manual", "bob");
        return s;
    }

    /**
     * Three runs of a demo shop whose transform selects what changed. E: only {@code orders}
     * changed (a stream name holds a script tag, one count is not reported); dbt built {@code
     * source:shop.orders+}, a model errored, and a retry of it succeeded. F: nothing changed, the
     * transform was skipped. G: {@code orders} changed and the build failed on a model error (not
     * retried yet).
     */
    static Story changedOnly() {
        Story s = new Story();
        String shop = "c0ffee00-0000-4000-8000-" + s.tag + "0003";
        long job = 21;
        for (char run : new char[] {'e', 'f', 'g'}) {
            String corr = s.run(run);
            String req = "req-" + run + "-" + s.tag;
            s.requested(req, shop, corr, "webhook", "demo-shop");
            s.at(1);
            s.started(job, shop, corr, req);
            s.at(20);
            long orders = run == 'f' ? 0L : 3L;
            s.endedWithStreams(
                    job,
                    shop,
                    corr,
                    new Object[][] {
                        {"public", "orders", orders},
                        {"public", "customers", 0L},
                        {"public", SCRIPT, 0L},
                        {"public", "refunds", null}
                    },
                    req);
            job++;
            s.at(1);
            String dbt = "dbt-" + run + "1-" + s.tag;
            if (run == 'f') {
                ObjectNode why =
                        JSON.objectNode()
                                .put("selectionReason", "select: changed, and no stream changed");
                why.putArray("changedStreams");
                s.transform(
                        EventType.TRANSFORM_SKIPPED,
                        "shop_marts",
                        dbt,
                        corr,
                        List.of(corr),
                        null,
                        "no stream of the triggering syncs committed records (public.orders: 0)",
                        why);
                continue;
            }
            ObjectNode selection =
                    JSON.objectNode()
                            .put("select", "source:shop.orders+")
                            .put("selectionReason", "changed streams: public.orders " + SCRIPT);
            selection.putArray("changedStreams").add("public.orders");
            s.transform(
                    EventType.TRANSFORM_STARTED,
                    "shop_marts",
                    dbt,
                    corr,
                    List.of(corr),
                    null,
                    null,
                    selection);
            s.at(7);
            s.transform(
                    EventType.TRANSFORM_FAILED,
                    "shop_marts",
                    dbt,
                    corr,
                    List.of(corr),
                    "model.shop.stg_orders",
                    "Database Error in model stg_orders: division by zero",
                    selection);
            if (run == 'e') {
                String retry = "dbt-e2-" + s.tag;
                ObjectNode of =
                        selection
                                .deepCopy()
                                .put("command", "retry")
                                .put("retryOf", dbt)
                                .put(
                                        "selectionReason",
                                        "retry of run " + dbt + ": its failed and skipped nodes");
                s.at(60);
                s.transform(
                        EventType.TRANSFORM_STARTED,
                        "shop_marts",
                        retry,
                        corr,
                        List.of(corr),
                        null,
                        null,
                        of);
                s.at(7);
                // The retry ran as a Kubernetes Job (contract 0.4.0).
                ObjectNode ended = of.deepCopy();
                ended.putObject("kubernetes")
                        .put("namespace", "tributary")
                        .put("job", "dbt-shop-marts-" + s.tag)
                        .put("pod", "dbt-shop-marts-x7k2p" + SCRIPT);
                s.transform(
                        EventType.TRANSFORM_SUCCEEDED,
                        "shop_marts",
                        retry,
                        corr,
                        List.of(corr),
                        null,
                        null,
                        ended);
            }
            s.at(30);
        }
        return s;
    }

    /** The dbt run id of a {@link #changedOnly()} run ({@code 1}: its first, {@code 2}: retry). */
    String dbtRun(char letter, int n) {
        return "dbt-" + letter + n + "-" + tag;
    }

    String run(char letter) {
        return "run-" + letter + "-" + tag;
    }
}
