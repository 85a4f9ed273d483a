package io.tributary.monitor;

import static io.tributary.monitor.Monitor.endings;
import static io.tributary.monitor.Monitor.sandbox;
import static io.tributary.monitor.Monitor.starts;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncRequested;
import io.tributary.events.SyncStarted;
import io.tributary.events.SyncStatus;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.sandbox.ConnectionScript;
import io.tributary.sandbox.JobSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coalescing: at most one Airbyte job per connection; a request is served by a running job only
 * when that job was created after the request was made, else by exactly one follow-up job.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "sync-monitor-service"),
        scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AirbyteSandboxResource.class, scope = TestResourceScope.GLOBAL)
class CoalescingTest {

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
    void aRequestMadeBeforeARunningOutsideJobWasCreatedAttachesToIt() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "ads → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(100), 42));
        Instant requestedAt = Instant.now().minusSeconds(5);
        long outside = sandbox().startJobOutside(conn);
        SyncRequested request = monitor.request(conn, requestedAt);

        List<ReceivedEvent> events = monitor.events(conn, 2);
        SyncStarted started = starts(events).get(0);
        assertThat(started.jobId()).isEqualTo(outside);
        assertThat(started.attached()).isTrue();
        assertThat(started.requestIds()).containsExactly(request.requestId());
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.jobId()).isEqualTo(outside);
        assertThat(ended.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(ended.attached()).isTrue();
        assertThat(sandbox().jobs(conn)).hasSize(1);
    }

    @Test
    void requestsMadeWhileAnOutsideJobRunsGetExactlyOneFollowUp() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "crm → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(40), 7));
        long outside = sandbox().startJobOutside(conn);
        SyncRequested first = monitor.request(conn);
        SyncRequested second = monitor.request(conn);

        List<ReceivedEvent> events = monitor.events(conn, 2);
        SyncStarted started = starts(events).get(0);
        assertThat(started.jobId()).isNotEqualTo(outside);
        assertThat(started.attached()).isFalse();
        assertThat(started.requestIds())
                .containsExactlyInAnyOrder(first.requestId(), second.requestId());
        SyncFinished ended = endings(events).get(0);
        assertThat(ended.jobId()).isEqualTo(started.jobId());
        List<JobSnapshot> jobs = sandbox().jobs(conn);
        assertThat(jobs).hasSize(2);
        // The follow-up started only after the outside job ended: nobody saw a 409 failure.
        assertThat(jobs.get(1).createdAt()).isAfterOrEqualTo(jobs.get(0).updatedAt());
    }

    @Test
    void aBurstOfTwentyRequestsMakesAtMostTwoJobsAndAnswersAll() {
        UUID conn =
                sandbox()
                        .addConnection(
                                "events → postgres",
                                ConnectionScript.succeedAfter(Duration.ofSeconds(20), 100));
        Set<String> asked = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            asked.add(monitor.request(conn).requestId());
        }

        Set<String> answered = new HashSet<>();
        List<SyncFinished> endings = new ArrayList<>();
        // One event more at a time: a job that attached requests late publishes a second
        // sync.started, so waiting for an even count could wait the whole minute for an event
        // that never comes.
        for (int n = 1; answered.size() < 20 && n <= 8; n++) {
            List<ReceivedEvent> events = monitor.events(conn, n);
            endings = endings(events);
            answered.clear();
            endings.forEach(e -> answered.addAll(e.requestIds()));
        }
        assertThat(answered).isEqualTo(asked);
        assertThat(endings).hasSizeLessThanOrEqualTo(2);
        assertThat(endings).allMatch(e -> e.status() == SyncStatus.SUCCEEDED);
        int total = endings.stream().mapToInt(e -> e.requestIds().size()).sum();
        assertThat(total).as("each request answered once").isEqualTo(20);
        assertThat(sandbox().jobs(conn)).hasSizeLessThanOrEqualTo(2);
    }
}
