package io.tributary.monitor;

import static io.tributary.monitor.Monitor.api;
import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.EventIds;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobStatus;
import io.tributary.support.outbox.OutboxRepository;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A job that ends while Kafka is down: its ending waits in the outbox and follows its start. */
@QuarkusTest
class KafkaOutageTest {

    @InjectInfrastructure Infrastructure infra;
    @Inject OutboxRepository outbox;
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
    void anEndingStoredWhileKafkaIsDownIsPublishedOnceItIsBack() {
        UUID conn = sandbox().addConnection("outage → postgres", ConnectionScript.hangForever());
        SyncRequested request = monitor.request(conn);
        SyncStarted started = starts(monitor.events(conn, 1)).get(0);
        long jobId = started.jobId();

        infra.stopKafka();
        try {
            sandbox().finishJob(jobId, JobStatus.SUCCEEDED);
            // Noticed and stored (the webhook's hint, or a poll) while nothing can be published.
            await().atMost(Monitor.WAIT)
                    .untilAsserted(
                            () ->
                                    api().get("/api/jobs/" + jobId)
                                            .then()
                                            .statusCode(200)
                                            .body(
                                                    "status",
                                                    org.hamcrest.Matchers.equalTo("succeeded")));
            assertThat(QuarkusTransaction.requiringNew().call(outbox::pending)).isPositive();
        } finally {
            infra.startKafka();
        }

        // Read by ce_id: a reader may see records again after the broker's restart, and a re-send
        // after the relay gave up waiting for an acknowledgement would carry the same id.
        await().atMost(Duration.ofSeconds(120))
                .until(() -> ids(monitor.drain(conn, Duration.ofMillis(500))).size() >= 2);
        List<ReceivedEvent> all = monitor.drain(conn, Duration.ofSeconds(3));
        assertThat(ids(all))
                .containsExactly(
                        EventIds.derive("sync.started", String.valueOf(jobId), request.requestId()),
                        EventIds.derive("sync.ended", String.valueOf(jobId)));
        SyncFinished ended = endings(all).get(0);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.requestIds()).containsExactly(request.requestId());
        assertThat(sandbox().jobs(conn)).hasSize(1);
    }

    /** The events' ids, each once, in the order they were first published. */
    private static List<String> ids(List<ReceivedEvent> events) {
        return events.stream().map(ReceivedEvent::id).distinct().toList();
    }
}
