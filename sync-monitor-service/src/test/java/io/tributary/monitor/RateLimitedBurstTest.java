package io.tributary.monitor;

import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A burst of requests for many connections under a tight Airbyte call budget: our own rate limiter
 * refuses many calls, job starts among them. A refused start was never sent, so nothing is adopted
 * or waited for; every connection gets exactly one job and one ending, within a bound far below the
 * dispatch transaction timeout (120 s here, as in production).
 */
@QuarkusTest
@TestProfile(RateLimitedBurstTest.TightBudget.class)
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class RateLimitedBurstTest {
    private static final int CONNECTIONS = 24;
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Five Airbyte calls per second for everything; retries as long as in production. */
    public static class TightBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tributary.monitor.airbyte.rate-limit.limit", "5",
                    "tributary.monitor.airbyte.rate-limit.window", "PT1S",
                    "tributary.monitor.airbyte.retry.max-duration", "PT30S");
        }
    }

    @InjectInfrastructure Infrastructure infra;

    @Test
    void everyConnectionOfABurstGetsOneJobAndOneEndingWhileOurRateLimiterRefusesCalls() {
        try (Monitor monitor = new Monitor(infra.kafkaBootstrapServers(), false)) {
            List<UUID> connections = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connections.add(
                        sandbox()
                                .addConnection(
                                        "burst " + i + " → postgres",
                                        ConnectionScript.succeedAfter(Duration.ofSeconds(10), i)));
            }
            Map<UUID, String> requested = new HashMap<>();
            connections.forEach(c -> requested.put(c, monitor.request(c).requestId()));

            long deadline = System.nanoTime() + BOUND.toNanos();
            for (UUID conn : connections) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                List<SyncFinished> ended = endings(monitor.events(conn, 2, left));
                assertThat(ended)
                        .as("the ending of connection %s within %s of the burst", conn, BOUND)
                        .hasSize(1);
                assertThat(ended.get(0).status()).isEqualTo(SyncStatus.SUCCEEDED);
                assertThat(ended.get(0).requestIds()).containsExactly(requested.get(conn));
            }
            for (UUID conn : connections) {
                assertThat(sandbox().jobs(conn)).as("jobs of %s", conn).hasSize(1);
            }
        }
    }
}
