package io.tributary.transform;

import static io.tributary.transform.support.TestSupport.DBT_WAIT;
import static io.tributary.transform.support.TestSupport.reader;
import static io.tributary.transform.support.TestSupport.syncSucceeded;
import static io.tributary.transform.support.TestSupport.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tributary.events.EventType;
import io.tributary.events.TransformEvent;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.support.inbox.ProcessedEvents;
import io.tributary.transform.support.TestSupport;
import io.tributary.transform.support.TransformTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When runs start: fan-in of two connections, triggers during a run, the debounce window. */
@QuarkusTest
@WithTestResource(
        value = TransformTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "transform-service"),
        scope = TestResourceScope.GLOBAL)
class TriggerCoalescingTest {

    static final String FANIN_A = "fa000000-0000-4000-8000-00000000000a";
    static final String FANIN_B = "fa000000-0000-4000-8000-00000000000b";
    static final String BUSY = "b0000000-0000-4000-8000-000000000001";
    static final String DEBOUNCED = "d0000000-0000-4000-8000-000000000001";

    @InjectInfrastructure Infrastructure infra;
    @Inject ProcessedEvents processed;

    /**
     * Also the correlation link: the run's events name every sync that fed it (each sync here has
     * its own correlation id, {@code corr-<job>}), the one that completed the fan-in first.
     */
    @Test
    void fanInRunsOnceAfterBothConnections() throws Exception {
        TestSupport.ensureShopLoaded();
        syncSucceeded(infra.kafkaBootstrapServers(), FANIN_A, 501);
        syncSucceeded(infra.kafkaBootstrapServers(), FANIN_A, 502); // a again: still waiting
        // Nothing runs while only a has synced: a run would be queued in the transaction that
        // records a's endings as consumed.
        awaitConsumed(FANIN_A, 501, 502);
        assertThat(runs("shop_fanin")).isEmpty();

        syncSucceeded(infra.kafkaBootstrapServers(), FANIN_B, 601);
        await().atMost(DBT_WAIT)
                .until(
                        () ->
                                runs("shop_fanin").size() == 1
                                        && "succeeded"
                                                .equals(runs("shop_fanin").get(0).get("status")));
        JsonPath run = JsonPath.from(writer().get("/api/transforms/shop_fanin/runs").asString());
        assertThat(run.getList("trigger.connectionIds[0]")).containsExactly(FANIN_A, FANIN_B);
        assertThat(run.getList("trigger.syncJobIds[0]", Long.class)).containsExactly(502L, 601L);

        // Exactly one run: nothing else is queued or published.
        List<TransformEvent> done =
                TestSupport.transformEvents(
                        infra.kafkaBootstrapServers(),
                        "shop_fanin",
                        EventType.TRANSFORM_SUCCEEDED,
                        2,
                        Duration.ofSeconds(4));
        assertThat(done).hasSize(1);
        assertThat(runs("shop_fanin")).hasSize(1);
        String runId = done.get(0).runId();
        TransformEvent started =
                TestSupport.eventOfRun(
                        infra.kafkaBootstrapServers(),
                        "shop_fanin",
                        EventType.TRANSFORM_STARTED,
                        runId);
        for (TransformEvent event : List.of(started, done.get(0))) {
            // b's sync completed the fan-in; a's two syncs (502 superseded 501) fed it as well.
            assertThat(event.correlationIds())
                    .as(event.status() + " correlationIds")
                    .containsExactly("corr-601", "corr-501", "corr-502");
            assertThat(event.correlationId()).isEqualTo("corr-601");
        }
        assertThat(run.getList("correlationIds[0]"))
                .containsExactly("corr-601", "corr-501", "corr-502");

        // The fan-in starts over: b alone does not trigger again.
        syncSucceeded(infra.kafkaBootstrapServers(), FANIN_B, 602);
        awaitConsumed(FANIN_B, 602);
        assertThat(runs("shop_fanin")).hasSize(1);
    }

    private void awaitConsumed(String connectionId, long... jobIds) {
        TestSupport.awaitConsumed(processed, connectionId, jobIds);
    }

    @Test
    void fiveTriggersDuringARunMakeExactlyOneFollowUpRun() throws Exception {
        TestSupport.ensureShopLoaded();
        syncSucceeded(infra.kafkaBootstrapServers(), BUSY, 700);
        await().atMost(DBT_WAIT)
                .until(
                        () ->
                                runs("shop_busy").stream()
                                        .anyMatch(r -> "running".equals(r.get("status"))));
        syncSucceeded(infra.kafkaBootstrapServers(), BUSY, 701, 702, 703, 704, 705);
        await().atMost(DBT_WAIT)
                .until(
                        () ->
                                runs("shop_busy").size() == 2
                                        && runs("shop_busy").stream()
                                                .allMatch(
                                                        r -> "succeeded".equals(r.get("status"))));
        // Nothing more comes.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> runs("shop_busy").size() == 2);
        List<Map<String, Object>> runs = runs("shop_busy");
        assertThat(runs).hasSize(2);
        Map<String, Object> first = runs.get(1);
        Map<String, Object> followUp = runs.get(0);
        assertThat(first.get("triggerCount")).isEqualTo(1);
        assertThat(followUp.get("triggerCount")).isEqualTo(5);
        assertThat(((Map<?, ?>) followUp.get("trigger")).get("syncJobIds"))
                .isEqualTo(List.of(701, 702, 703, 704, 705));
        // Every merged trigger's correlation id, in arrival order.
        assertThat(followUp.get("correlationIds"))
                .isEqualTo(List.of("corr-701", "corr-702", "corr-703", "corr-704", "corr-705"));
        assertThat(first.get("correlationIds")).isEqualTo(List.of("corr-700"));
        // Never two at once on one project.
        assertThat(Instant.parse((String) followUp.get("startedAt")))
                .isAfterOrEqualTo(Instant.parse((String) first.get("finishedAt")));
    }

    @Test
    void triggersWithinTheDebounceWindowMakeOneQueuedRunThatCanBeCancelled() throws Exception {
        writer().body(
                        Map.of(
                                "projectDir", "demo",
                                "profilesDir", "demo",
                                "command", "run",
                                "select", "stg_customers",
                                "debounce", "PT60S",
                                "upstream", Map.of("connectionIds", List.of(DEBOUNCED))))
                .put("/api/transforms/shop_debounced")
                .then()
                .statusCode(201);
        syncSucceeded(infra.kafkaBootstrapServers(), DEBOUNCED, 801, 802, 803);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                runs("shop_debounced").size() == 1
                                        && Integer.valueOf(3)
                                                .equals(
                                                        runs("shop_debounced")
                                                                .get(0)
                                                                .get("triggerCount")));
        Map<String, Object> queued = runs("shop_debounced").get(0);
        assertThat(queued.get("status")).isEqualTo("queued");
        assertThat(Instant.parse((String) queued.get("notBefore")))
                .isAfter(Instant.now().plusSeconds(30));

        String runId = (String) queued.get("runId");
        writer().delete("/api/runs/" + runId)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("cancelled"));
        reader().get("/api/runs/" + runId)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("cancelled"));
        writer().delete("/api/runs/" + runId).then().statusCode(409);
    }

    static List<Map<String, Object>> runs(String transform) {
        return reader().get("/api/transforms/" + transform + "/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
    }
}
