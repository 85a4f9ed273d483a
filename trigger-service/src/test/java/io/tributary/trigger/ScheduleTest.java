package io.tributary.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncRequested;
import io.tributary.events.TriggerKind;
import io.tributary.local.Infrastructure;
import io.tributary.local.InjectInfrastructure;
import io.tributary.local.TributaryTestResource;
import io.tributary.trigger.definition.ScheduleRepository;
import io.tributary.trigger.messaging.SyncRequestPublisher;
import io.tributary.trigger.schedule.ScheduleEngine;
import io.tributary.trigger.schedule.ScheduleFireRepository;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Schedules fire exactly once per fire time however many instances tick, and follow their misfire
 * policy after a downtime. "Instances" here are independent {@link ScheduleEngine}s sharing the
 * service's PostgreSQL database next to the application's own (the outbox relay publishes what any
 * of them stores): the database is the only thing instances share, so this exercises the same
 * arbitration a second JVM would, while a controllable clock makes "down across a fire time" exact
 * and fast.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "trigger-service"),
        scope = TestResourceScope.GLOBAL)
class ScheduleTest {
    @InjectInfrastructure Infrastructure infra;
    @Inject ScheduleRepository schedules;
    @Inject ScheduleFireRepository fireRepository;
    @Inject SyncRequestPublisher publisher;

    /** Another instance's engine, with its own clock. */
    ScheduleEngine engine(Supplier<Instant> clock) {
        return new ScheduleEngine(
                schedules, fireRepository, publisher, clock, Duration.ofSeconds(60), p -> {});
    }

    static String schedule(String cron, String policy, String connection) {
        String id = "sched-" + UUID.randomUUID();
        Api.admin()
                .body(
                        Map.of(
                                "id",
                                id,
                                "cron",
                                cron,
                                "misfirePolicy",
                                policy,
                                "connectionIds",
                                List.of(connection)))
                .post("/api/schedules")
                .then()
                .statusCode(201);
        return id;
    }

    @Test
    void threeInstancesEmitOneEventPerFire() throws Exception {
        String conn = Api.connection();
        String id = schedule("* * * * * *", "fire-once", conn);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ScheduleEngine engine = engine(Instant::now);
            instances.add(
                    pool.submit(
                            () -> {
                                int fired = 0;
                                while (running.get()) {
                                    fired += engine.tick();
                                    Thread.sleep(5);
                                }
                                return fired;
                            }));
        }
        // Let the three instances race over at least four fire times.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fires(id) >= 4);
        Api.admin()
                .body(
                        Map.of(
                                "cron",
                                "* * * * * *",
                                "connectionIds",
                                List.of(conn),
                                "enabled",
                                false))
                .put("/api/schedules/" + id)
                .then()
                .statusCode(200);
        running.set(false);
        int byTestInstances = 0;
        for (Future<Integer> f : instances) {
            byTestInstances += f.get();
        }
        pool.shutdown();
        int fires = fires(id);

        List<ReceivedEvent> events = Api.exactly(infra, List.of(conn), fires);
        assertThat(events).hasSize(fires);
        Map<String, Long> perFireTime =
                events.stream()
                        .map(Api::data)
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.trigger().detail(), Collectors.counting()));
        assertThat(perFireTime).hasSize(fires).allSatisfy((time, n) -> assertThat(n).isEqualTo(1));
        assertThat(events.stream().map(ReceivedEvent::id).distinct()).hasSize(fires);
        SyncRequested first = Api.data(events.get(0));
        assertThat(first.trigger().kind()).isEqualTo(TriggerKind.SCHEDULE);
        assertThat(first.trigger().id()).isEqualTo(id);
        // Not a test of luck: the extra instances did win some fires.
        assertThat(byTestInstances).isPositive();
    }

    int fires(String scheduleId) {
        return (int)
                (long)
                        QuarkusTransaction.requiringNew()
                                .call(() -> fireRepository.count("scheduleId", scheduleId));
    }

    Instant nextFireAt(String id) {
        return Instant.parse(
                Api.viewer().get("/api/schedules/" + id).then().extract().path("nextFireAt"));
    }

    @Test
    void restartAcrossFireTimesWithFireOnceFiresOnce() {
        String conn = Api.connection();
        String id = schedule("0 0 1 1 *", "fire-once", conn); // yearly: never due in real time here
        Instant due = nextFireAt(id);
        // The instance was down from before the fire until two days after it.
        Instant afterRestart = due.plus(Duration.ofDays(2));
        ScheduleEngine restarted = engine(() -> afterRestart);
        assertThat(restarted.tick()).isEqualTo(1);
        assertThat(restarted.tick()).isZero();
        assertThat(nextFireAt(id)).isAfter(afterRestart);
        Api.viewer().get("/api/schedules/" + id).then().body("lastFireAt", equalTo(due.toString()));

        List<ReceivedEvent> events = Api.exactly(infra, List.of(conn), 1);
        assertThat(events).hasSize(1);
        assertThat(Api.data(events.get(0)).trigger().detail())
                .startsWith(due.toString())
                .contains("misfire");
    }

    @Test
    void restartAcrossAFireTimeWithSkipFiresNothing() {
        String conn = Api.connection();
        String id = schedule("0 0 1 1 *", "skip", conn);
        Instant due = nextFireAt(id);
        Instant afterRestart = due.plus(Duration.ofHours(3));
        ScheduleEngine restarted = engine(() -> afterRestart);
        assertThat(restarted.tick()).isZero();
        assertThat(nextFireAt(id)).isAfter(afterRestart);
        assertThat(Api.exactly(infra, List.of(conn), 0)).isEmpty();
    }

    @Test
    void aFireFoundWithinTheThresholdIsOnTimeNotAMisfire() {
        String conn = Api.connection();
        String id = schedule("0 0 1 1 *", "skip", conn);
        Instant due = nextFireAt(id);
        ScheduleEngine engine = engine(() -> due.plusSeconds(5));
        assertThat(engine.tick()).isEqualTo(1);
        List<ReceivedEvent> events = Api.exactly(infra, List.of(conn), 1);
        assertThat(events).hasSize(1);
        assertThat(Api.data(events.get(0)).trigger().detail()).isEqualTo(due.toString());
    }

    @Test
    void aDisabledScheduleDoesNotFireAndFiresAgainWhenEnabled() {
        String conn = Api.connection();
        String id = schedule("* * * * * *", "fire-once", conn); // every second, real time
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> fires(id) >= 2);

        toggle(id, "disable")
                .body("enabled", equalTo(false))
                .body("nextFireAt", nullValue())
                .body("nextFireTimes", hasSize(0));
        Instant disabledAt = Instant.now();
        int beforeDisable = fires(id);
        toggle(id, "disable").body("enabled", equalTo(false)); // a second click changes nothing
        // The application's own engine ticks every 200 ms: three seconds of fire times pass.
        Awaitility.await()
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> fires(id) == beforeDisable);

        Instant enabledAt = Instant.now();
        toggle(id, "enable").body("enabled", equalTo(true)).body("nextFireTimes", hasSize(5));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> fires(id) >= beforeDisable + 2);
        toggle(id, "disable");
        int total = fires(id);

        List<ReceivedEvent> events = Api.exactly(infra, List.of(conn), total);
        assertThat(events).hasSize(total);
        List<Instant> fireTimes =
                events.stream()
                        .map(e -> Instant.parse(Api.data(e).trigger().detail().split(" ")[0]))
                        .toList();
        // Fires before the disable and after the enable, none in between (and none made up later).
        assertThat(fireTimes).filteredOn(t -> t.isBefore(disabledAt)).hasSize(beforeDisable);
        assertThat(fireTimes)
                .filteredOn(t -> !t.isBefore(disabledAt))
                .hasSize(total - beforeDisable)
                .allSatisfy(t -> assertThat(t).isAfter(enabledAt));
    }

    /**
     * POST /api/schedules/{id}/enable|disable as the console sends it: no body, no content type.
     */
    static ValidatableResponse toggle(String id, String action) {
        return given().header("Authorization", Api.WRITE)
                .post("/api/schedules/" + id + "/" + action)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id));
    }
}
