package io.tributary.monitor;

import static io.restassured.RestAssured.given;
import static io.tributary.monitor.Monitor.api;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tributary.events.SyncStarted;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Airbyte's webhook hint (the scripted 30 s take 3 s with the sandbox's time compression). Polls
 * and list looks are a minute apart here, so within the test's window only the hint can see the job
 * end (with the default test intervals a poll sometimes won the race on a loaded machine, and the
 * test then measured the poll, not the hint).
 */
@QuarkusTest
@TestProfile(WebhookHintTest.RarePolls.class)
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class WebhookHintTest {

    public static class RarePolls implements QuarkusTestProfile {
        static final Duration INTERVAL = Duration.ofSeconds(60);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tributary.monitor.poll.min-interval", INTERVAL.toString(),
                    "tributary.monitor.poll.max-interval", INTERVAL.toString(),
                    "tributary.monitor.poll.list-interval", INTERVAL.toString());
        }
    }

    @InjectInfrastructure Infrastructure infra;

    @Test
    void aWebhookHintEndsTheJobBeforeAnyPoll() {
        try (Monitor monitor = new Monitor(infra.kafkaBootstrapServers())) {
            UUID conn =
                    sandbox()
                            .addConnection(
                                    "hinted → postgres",
                                    ConnectionScript.succeedAfter(Duration.ofSeconds(30), 3));
            monitor.request(conn);
            SyncStarted started = starts(monitor.events(conn, 1)).get(0);

            ConsumerRecord<String, byte[]> ending = monitor.records(conn, 2).get(1);
            JobSnapshot job = sandbox().job(started.jobId());
            long lagMillis = ending.timestamp() - job.updatedAt().toEpochMilli();
            api().get("/api/jobs/" + started.jobId())
                    .then()
                    .statusCode(200)
                    .body("detectedBy", equalTo("hint"));
            // The hint, not a poll, ended it: well before the next poll or list look could have.
            // How fast is a benchmark's question (bench/burst.sh prints the lag's percentiles).
            assertThat(Duration.ofMillis(lagMillis))
                    .as("job end → ending event")
                    .isLessThan(RarePolls.INTERVAL);
            System.out.printf("webhook hint: job end → ending event %d ms%n", lagMillis);
            given().get("/q/metrics")
                    .then()
                    .body(
                            containsString(
                                    "tributary_monitor_detection_lag_seconds_count{detected_by=\"hint\""));
        }
    }
}
