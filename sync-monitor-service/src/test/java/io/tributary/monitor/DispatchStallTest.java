package io.tributary.monitor;

import static io.restassured.RestAssured.given;
import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job start whose answer was lost, or that is slow, holds up nothing but its own connection, and
 * never for longer than it takes to look: no transaction waits on a row its own suspended
 * transaction holds (the dispatch transaction timeout is 45 s in tests; these bounds are far
 * below).
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class DispatchStallTest {
    private static final Duration BOUND = Duration.ofSeconds(15);

    @InjectInfrastructure Infrastructure infra;
    Monitor monitor;

    @BeforeEach
    void open() {
        monitor = new Monitor(infra.kafkaBootstrapServers());
    }

    @AfterEach
    void close() {
        sandbox().faults().clear();
        monitor.close();
    }

    @Test
    void aJobStartWhoseAnswerWasLostIsLookedUpThenStartedOnce() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "lost answer → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 7));
        long dropped = sandbox().calls("POST /jobs", 0);
        // The connection closes before Airbyte handles the POST: no job, and no answer to say so.
        sandbox().faults().next(1, Fault.drop(), "POST /jobs");
        Instant asked = Instant.now();
        SyncRequested request = monitor.request(conn);

        List<ReceivedEvent> events = monitor.events(conn, 2, BOUND);
        assertThat(events).as("sync.started and the ending within %s", BOUND).hasSize(2);
        assertThat(sandbox().calls("POST /jobs", 0) - dropped).as("the lost POST").isEqualTo(1);
        assertThat(starts(events)).hasSize(1);
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.requestIds()).containsExactly(request.requestId());
        assertThat(sandbox().jobs(conn)).as("exactly one job, started after a look").hasSize(1);
        assertThat(sandbox().jobs(conn).get(0).createdAt()).isAfter(asked.minusSeconds(1));
    }

    @Test
    void aSlowJobStartDelaysOnlyItsOwnConnectionAndIsReported() {
        UUID slow =
                sandbox()
                        .addConnection(
                                "slow start → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 1));
        UUID other =
                sandbox()
                        .addConnection(
                                "other → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 2));
        double slowBefore = slowDispatches();
        // Below the read timeout (3 s in tests), above the slow-task threshold (1 s in tests).
        sandbox().faults().next(1, Fault.slow(Duration.ofMillis(2500)), "POST /jobs");
        monitor.request(slow);
        await().atMost(BOUND).until(() -> sandbox().faults().pending() == 0);
        monitor.request(other);

        SyncFinished otherEnded = endings(monitor.events(other, 2, BOUND)).get(0);
        assertThat(otherEnded.status()).isEqualTo(SyncStatus.SUCCEEDED);
        SyncFinished slowEnded = endings(monitor.events(slow, 2, BOUND)).get(0);
        assertThat(slowEnded.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(sandbox().jobs(other).get(0).createdAt())
                .as("the other connection's job started while the slow start was still waiting")
                .isBeforeOrEqualTo(sandbox().jobs(slow).get(0).createdAt());
        await().atMost(BOUND).until(() -> slowDispatches() > slowBefore);
    }

    private static double slowDispatches() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m =
                Pattern.compile(
                                "(?m)^tributary_monitor_tasks_slow_total\\{[^}]*lane=\"dispatch\"[^}]*\\} (\\S+)$")
                        .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
