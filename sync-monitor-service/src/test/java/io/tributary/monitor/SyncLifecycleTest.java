package io.tributary.monitor;

import static io.tributary.monitor.Monitor.api;
import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.StreamStats;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.Fault;
import io.tributary.sandbox.JobStatus;
import io.tributary.sandbox.SandboxStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A requested sync runs to its end, once, and its ending says how it ended. */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class SyncLifecycleTest {

    @InjectInfrastructure Infrastructure infra;
    Monitor monitor;

    @BeforeEach
    void open() {
        monitor = new Monitor(infra.kafkaBootstrapServers());
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void aSucceededSyncEndsWithTheSandboxCounts() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "stripe → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(10), 1234)
                                        .withBytes(56789));
        SyncRequested request = monitor.request(conn);

        List<ReceivedEvent> events = monitor.events(conn, 2);
        assertThat(events)
                .extracting(ReceivedEvent::type)
                .containsExactly(EventType.SYNC_STARTED.type(), EventType.SYNC_SUCCEEDED.type());
        SyncStarted started = starts(events).get(0);
        assertThat(started.requestIds()).containsExactly(request.requestId());
        assertThat(started.attached()).isFalse();
        assertThat(started.correlationId()).isEqualTo(request.correlationId());
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.jobId()).isEqualTo(started.jobId());
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.rowsSynced()).isEqualTo(1234);
        assertThat(ended.bytesSynced()).isEqualTo(56789);
        assertThat(ended.requestIds()).containsExactly(request.requestId());
        assertThat(ended.correlationId()).isEqualTo(request.correlationId());
        assertThat(ended.duration()).isNotNull();
        assertThat(ended.finishedAt()).isNotNull();
        assertThat(ended.reason()).isNull();
        assertThat(sandbox().jobs(conn)).hasSize(1);

        api().get("/api/jobs/" + started.jobId())
                .then()
                .statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("rowsSynced", equalTo(1234))
                .body("requests[0].requestId", equalTo(request.requestId()));
        api().get("/api/jobs?connectionId=" + conn + "&status=succeeded")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1));
        // Nothing more is said about this job.
        assertThat(monitor.drain(conn, Duration.ofSeconds(2))).hasSize(2);
    }

    @Test
    void anEndingCarriesWhatEachStreamCommitted() {
        UUID shop =
                sandbox()
                        .connection("shop → postgres")
                        .streams(
                                List.of(
                                        SandboxStream.of("raw_shop", "customers"),
                                        SandboxStream.of("raw_shop", "orders"),
                                        SandboxStream.of("raw_shop", "payments")))
                        .script(
                                ConnectionScript.succeedAfter(Duration.ofSeconds(5), 0)
                                        .withStreamRecords(Map.of("orders", 42L)))
                        .add();
        monitor.request(shop);

        SyncFinished ended = endings(monitor.events(shop, 2)).get(0);

        assertThat(ended.rowsSynced()).isEqualTo(42);
        assertThat(ended.streams())
                .extracting(
                        StreamStats::namespace, StreamStats::name, StreamStats::recordsCommitted)
                .containsExactlyInAnyOrder(
                        tuple("raw_shop", "customers", 0L),
                        tuple("raw_shop", "orders", 42L),
                        tuple("raw_shop", "payments", 0L));
        assertThat(ended.streams())
                .filteredOn(s -> s.name().equals("orders"))
                .allMatch(s -> s.bytesCommitted() != null && s.bytesCommitted() > 0);
    }

    @Test
    void anEndingGoesOutWithoutStreamsWhenTheConfigurationApiFails() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "hubspot → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(5), 7));
        sandbox().faults().next(1, Fault.status(500), "POST /v1/jobs/get");
        try {
            monitor.request(conn);

            SyncFinished ended = endings(monitor.events(conn, 2)).get(0);

            assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
            assertThat(ended.rowsSynced()).isEqualTo(7);
            assertThat(ended.streams()).isNull();
            assertThat(sandbox().calls("POST /v1/jobs/get", 500)).isEqualTo(1);
        } finally {
            sandbox().faults().clear();
        }
    }

    @Test
    void aFailedSyncEndsWithAirbyteReason() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "hubspot → postgres",
                                ConnectionScript.failAfter(
                                        Duration.ofSeconds(10), "source exploded"));
        SyncRequested request = monitor.request(conn);

        SyncFinished ended = endings(monitor.events(conn, 2)).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(ended.reason()).isEqualTo(FailureReason.AIRBYTE_FAILED);
        assertThat(ended.message()).isNotBlank();
        assertThat(ended.requestIds()).containsExactly(request.requestId());
    }

    @Test
    void aCancelledJobIsReportedCancelledNeverSucceeded() {
        UUID conn = sandbox().addConnection("slow → postgres", ConnectionScript.hangForever());
        monitor.request(conn);
        SyncStarted started = starts(monitor.events(conn, 1)).get(0);

        sandbox().finishJob(started.jobId(), JobStatus.CANCELLED);

        List<ReceivedEvent> events = monitor.events(conn, 2);
        assertThat(events.get(1).type()).isEqualTo(EventType.SYNC_CANCELLED.type());
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.CANCELLED);
        assertThat(ended.reason()).isNull();
    }

    @Test
    void anUnknownOrInactiveConnectionFailsWithoutAJob() {
        UUID unknown = UUID.randomUUID();
        UUID inactive = sandbox().connection("legacy → postgres").inactive().add();
        SyncRequested a = monitor.request(unknown);
        SyncRequested b = monitor.request(inactive);

        SyncFinished notFound = endings(monitor.events(unknown, 1)).get(0);
        assertThat(notFound.reason()).isEqualTo(FailureReason.CONNECTION_NOT_FOUND);
        assertThat(notFound.requestIds()).containsExactly(a.requestId());
        assertThat(notFound.jobId()).isNull();
        SyncFinished off = endings(monitor.events(inactive, 1)).get(0);
        assertThat(off.reason()).isEqualTo(FailureReason.CONNECTION_INACTIVE);
        assertThat(off.requestIds()).containsExactly(b.requestId());
        assertThat(sandbox().jobs(inactive)).isEmpty();
    }
}
