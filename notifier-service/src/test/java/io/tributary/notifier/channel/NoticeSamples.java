package io.tributary.notifier.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.events.EventJson;
import io.tributary.notifier.delivery.Delivery;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Subscription;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deliveries of every kind of notice, with hostile text, for the rendering tests. */
final class NoticeSamples {
    static final String CONNECTION = "3f2a1c7e-1111-4222-8333-444455556666";
    static final String HOSTILE = "<script>alert(\"x\") & 'y'</script> <!channel>";
    static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");

    private NoticeSamples() {}

    static Subscription subscription(String name) {
        ObjectNode settings = EventJson.mapper().createObjectNode();
        settings.put("routingKey", "R0UT1NGKEY0123456789abcdefABCDEF");
        return new Subscription(
                "sub-1",
                name,
                List.of("*"),
                null,
                ChannelType.SLACK,
                settings,
                true,
                true,
                null,
                "api",
                T0,
                T0);
    }

    static ObjectNode event(String type, String subject, Instant time, ObjectNode data) {
        ObjectNode ce = EventJson.mapper().createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", "ce-" + type + "-" + time.getEpochSecond());
        ce.put("source", "/tributary/tests");
        ce.put("type", type);
        ce.put("subject", subject);
        ce.put("time", time.toString());
        ce.set("data", data);
        return ce;
    }

    static ObjectNode sync(String status, String message) {
        ObjectNode d = EventJson.mapper().createObjectNode();
        d.put("connectionId", CONNECTION);
        d.put("jobId", 42);
        d.put("jobType", "sync");
        d.put("status", status);
        d.put("duration", "PT1M35S");
        if (status.equals("failed")) {
            d.put("reason", "airbyte_failed");
            if (message != null) {
                d.put("message", message);
            }
        }
        if (status.equals("succeeded")) {
            d.put("rowsSynced", 1234567);
            d.put("bytesSynced", 5678901);
        }
        return d;
    }

    static ObjectNode transform(String status, int failures, String message) {
        ObjectNode d = EventJson.mapper().createObjectNode();
        d.put("transformName", "mart_orders");
        d.put("status", status);
        d.put("command", "build");
        d.put("select", "tag:daily");
        d.put("target", "prod");
        d.put("elapsed", "PT1H2M3S");
        if (!status.equals("started")) {
            d.put("exitCode", failures > 0 ? 1 : status.equals("failed") ? 2 : 0);
            ObjectNode summary = d.putObject("summary");
            summary.put("success", 10).put("error", failures).put("skipped", 2);
            summary.put("pass", 3).put("fail", 0).put("warn", 1);
        }
        ArrayNode list = d.putArray("failures");
        for (int i = 0; i < failures; i++) {
            list.addObject()
                    .put("uniqueId", "model.shop.orders_" + i)
                    .put("status", "error")
                    .put("message", "relation \"raw.orders\" does not exist " + HOSTILE);
        }
        if (message != null) {
            d.put("message", message);
        }
        return d;
    }

    static Delivery delivery(String kind, int count, ObjectNode... events) {
        ArrayNode array = EventJson.mapper().createArrayNode();
        for (ObjectNode e : events) {
            array.add(e);
        }
        ObjectNode last = events[events.length - 1];
        return new Delivery(
                "delivery-1",
                "sub-1",
                events[0].path("id").asText(),
                last.path("type").asText(),
                "x",
                kind,
                Delivery.PENDING,
                EventJson.toJson(array),
                count,
                0,
                null,
                T0,
                T0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                null);
    }

    /** Data of an expectation event: a freshness miss, or a volume recovery. */
    static ObjectNode expectation(String status) {
        ObjectNode d = EventJson.mapper().createObjectNode();
        boolean missed = status.equals("missed");
        d.put("expectationId", "orders-fresh");
        d.put("name", "orders " + HOSTILE);
        d.put("subjectKind", "connection");
        d.put("subjectId", CONNECTION);
        d.put("promise", missed ? "freshness" : "volume");
        d.put(
                "description",
                missed
                        ? "succeeds at least every 6h"
                        : "syncs at least 10% of the median of the last 10 successful syncs, and never 0 rows after non-zero syncs");
        d.put("status", status);
        d.put("deadline", T0.toString());
        d.put("lastKeptAt", T0.minusSeconds(6 * 3600).toString());
        d.put("lateBy", missed ? "PT2S" : "PT1H");
        d.put("observedAt", T0.plusSeconds(2).toString());
        if (!missed) {
            d.put("rowsSynced", 12_840);
            d.put("medianRows", 12_500);
            d.put("threshold", 1_250);
            d.put("jobId", 43);
        }
        d.put(
                "message",
                missed
                        ? "connection "
                                + CONNECTION
                                + " missed its promise: succeeds at least every 6h (last success "
                                + T0.minusSeconds(6 * 3600)
                                + ")"
                        : "connection "
                                + CONNECTION
                                + " synced 12,840 rows again (median of the previous syncs 12,500)");
        return d;
    }

    /** Every sample by name. */
    static Map<String, Delivery> all() {
        Map<String, Delivery> all = new LinkedHashMap<>();
        all.put(
                "expectation-missed",
                delivery(
                        Delivery.ALERT,
                        1,
                        event(
                                "io.tributary.expectation.missed",
                                "orders-fresh",
                                T0,
                                expectation("missed"))));
        all.put(
                "expectation-recovered",
                delivery(
                        Delivery.RECOVERY,
                        1,
                        event(
                                "io.tributary.expectation.recovered",
                                "orders-fresh",
                                T0.plusSeconds(3600),
                                expectation("recovered"))));
        String failed = "io.tributary.sync.failed";
        all.put(
                "sync-failed-grouped",
                delivery(
                        Delivery.ALERT,
                        10,
                        event(
                                failed,
                                CONNECTION,
                                T0,
                                sync("failed", "Source postgres: refused " + HOSTILE)),
                        event(
                                failed,
                                CONNECTION,
                                T0.plusSeconds(8),
                                sync("failed", "Source postgres:\r refused\n" + HOSTILE))));
        all.put(
                "sync-failed-long",
                delivery(
                        Delivery.ALERT,
                        1,
                        event(failed, CONNECTION, T0, sync("failed", "x".repeat(700)))));
        all.put(
                "sync-failed-no-message",
                delivery(Delivery.ALERT, 1, event(failed, CONNECTION, T0, sync("failed", null))));
        all.put(
                "sync-recovered",
                delivery(
                        Delivery.RECOVERY,
                        1,
                        event(
                                "io.tributary.sync.succeeded",
                                CONNECTION,
                                T0,
                                sync("succeeded", null))));
        all.put(
                "sync-succeeded",
                delivery(
                        Delivery.INFO,
                        3,
                        event(
                                "io.tributary.sync.succeeded",
                                CONNECTION,
                                T0,
                                sync("succeeded", null)),
                        event(
                                "io.tributary.sync.succeeded",
                                CONNECTION,
                                T0.plusSeconds(3700),
                                sync("succeeded", null))));
        all.put(
                "sync-cancelled",
                delivery(
                        Delivery.INFO,
                        1,
                        event(
                                "io.tributary.sync.cancelled",
                                CONNECTION,
                                T0,
                                sync("cancelled", null))));
        all.put(
                "sync-started",
                delivery(
                        Delivery.INFO,
                        1,
                        event("io.tributary.sync.started", CONNECTION, T0, sync("started", null))));
        all.put(
                "transform-failed-nodes",
                delivery(
                        Delivery.ALERT,
                        1,
                        event(
                                "io.tributary.transform.failed",
                                "mart_orders",
                                T0,
                                transform("failed", 7, null))));
        all.put(
                "transform-failed-one-node",
                delivery(
                        Delivery.ALERT,
                        1,
                        event(
                                "io.tributary.transform.failed",
                                "mart_orders",
                                T0,
                                transform("failed", 1, null))));
        all.put(
                "transform-failed-dbt",
                delivery(
                        Delivery.ALERT,
                        1,
                        event(
                                "io.tributary.transform.failed",
                                "mart_orders",
                                T0,
                                transform("failed", 0, "dbt crashed " + HOSTILE))));
        all.put(
                "transform-failed-no-message",
                delivery(
                        Delivery.ALERT,
                        1,
                        event(
                                "io.tributary.transform.failed",
                                "mart_orders",
                                T0,
                                transform("failed", 0, null))));
        all.put(
                "transform-recovered",
                delivery(
                        Delivery.RECOVERY,
                        1,
                        event(
                                "io.tributary.transform.succeeded",
                                "mart_orders",
                                T0,
                                transform("succeeded", 0, null))));
        all.put(
                "transform-succeeded",
                delivery(
                        Delivery.INFO,
                        1,
                        event(
                                "io.tributary.transform.succeeded",
                                "mart_orders",
                                T0,
                                transform("succeeded", 0, null))));
        all.put(
                "transform-started",
                delivery(
                        Delivery.INFO,
                        1,
                        event(
                                "io.tributary.transform.started",
                                "mart_orders",
                                T0,
                                transform("started", 0, null))));
        all.put(
                "test",
                delivery(
                        Delivery.TEST,
                        1,
                        event(
                                failed,
                                "00000000-0000-0000-0000-000000000000",
                                T0,
                                sync("failed", "This is a test notification; no sync failed."))));
        return all;
    }
}
