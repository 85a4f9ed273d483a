package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.events.CloudEventKafka;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.ReceivedEvent;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.events.Topics;
import io.tributary.local.FrozenDatabase;
import io.tributary.local.KafkaFrontDoor;
import io.tributary.sandbox.ConnectionScript;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The fault suite, on a stack of its own ({@link PipelineSuite}) since it freezes that stack's
 * PostgreSQL and Kafka and kills and stops its services: answers in time while a dependency is
 * frozen and one flow after the thaw, nothing lost or doubled when each service is SIGKILLed at a
 * random moment, and every service stopping in time on SIGTERM. It runs beside {@link
 * PipelineTest}.
 */
class FaultSuiteTest extends PipelineSuite {
    // 9. fault suite: PostgreSQL frozen (SIGSTOP) for 20 s: every webhook answer is a 503 within
    //    the publish timeout + 2 s, every readiness DOWN within 3 s; after the thaw the sender's
    //    retry is accepted and the flow completes once: one Airbyte job, one dbt run.
    @Test
    @Order(9)
    void frozenDatabaseIsAnsweredInTimeAndTheFlowCompletesOnceAfterTheThaw() {
        UUID conn = flow("s10", shop(ConnectionScript.succeedAfter(secs(2), 0)), "run", null);
        try (FrozenDatabase frozen =
                FrozenDatabase.freeze(
                        pipeline.warehouse.jdbcUrl(),
                        pipeline.warehouse.username(),
                        pipeline.warehouse.password())) {
            answeredInTimeWhileFrozen("PostgreSQL", "s10");
        }
        completesOnceAfterTheThaw(conn, "s10");
    }

    // 10. fault suite: Kafka frozen for 20 s (its front door holds every byte): the same.
    @Test
    @Order(10)
    void frozenKafkaIsAnsweredInTimeAndTheFlowCompletesOnceAfterTheThaw() {
        UUID conn = flow("s11", shop(ConnectionScript.succeedAfter(secs(2), 0)), "run", null);
        try (KafkaFrontDoor.Thaw frozen = pipeline.kafka.freeze()) {
            answeredInTimeWhileFrozen("Kafka", "s11");
        }
        completesOnceAfterTheThaw(conn, "s11");
    }

    // 11. fault suite: four pipelines started 1.5 s apart; each of the four services is SIGKILLed
    //     at its own random moment of them and restarted at once. Counted per accepted request:
    //     exactly one ending, one Airbyte job per connection, one successful dbt run per transform
    //     (a second run only as the documented re-queue of one interrupted by the kill), and each
    //     notification delivered once as the receiver sees it (distinct webhook-id).
    @Test
    @Order(11)
    void everyServiceKilledAtARandomMomentLosesAndDoublesNothing() {
        List<String> scenarios = List.of("s12a", "s12b", "s12c", "s12d");
        Map<String, UUID> conns = new LinkedHashMap<>();
        for (String s : scenarios) {
            UUID conn =
                    flow(
                            s,
                            shop(ConnectionScript.succeedAfter(secs(3), 0)),
                            "run",
                            "stg_customers");
            conns.put(s, conn);
            subscribe(
                    s + "-subscriber",
                    List.of("io.tributary.sync.succeeded", "io.tributary.transform.succeeded"),
                    "(type == 'io.tributary.sync.succeeded' && data.connectionId == '"
                            + conn
                            + "') || (type == 'io.tributary.transform.succeeded'"
                            + " && data.transformName == '"
                            + s
                            + "_run')",
                    "/" + s);
        }
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(8);
        List<Duration> answers = new CopyOnWriteArrayList<>();
        Map<String, Long> killedAtMs = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        try {
            List<ScheduledFuture<?>> work = new ArrayList<>();
            for (int i = 0; i < scenarios.size(); i++) {
                String s = scenarios.get(i);
                work.add(
                        clock.schedule(
                                () -> answers.addAll(deliverUntilAccepted(s)),
                                1500L * i,
                                TimeUnit.MILLISECONDS));
            }
            // Each at a random moment of the part of the pipelines it serves (ms after the first
            // delivery): deliveries until 4.5 s, jobs from then on, dbt and notifications later.
            Map<String, long[]> windows =
                    Map.of(
                            "trigger-service", new long[] {0, 6_000},
                            "sync-monitor-service", new long[] {0, 10_000},
                            "transform-service", new long[] {5_000, 15_000},
                            "notifier-service", new long[] {5_000, 15_000});
            for (Map.Entry<String, long[]> window : windows.entrySet()) {
                String service = window.getKey();
                long at = RANDOM.nextLong(window.getValue()[0], window.getValue()[1]);
                work.add(
                        clock.schedule(
                                () -> {
                                    killedAtMs.put(service, (System.nanoTime() - t0) / 1_000_000);
                                    pipeline.crashAndRestart(service);
                                },
                                at,
                                TimeUnit.MILLISECONDS));
            }
            for (ScheduledFuture<?> w : work) {
                w.get(FLOW.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("a sender or a restart failed", e);
        } finally {
            clock.shutdownNow();
        }
        Endings endings = new Endings(0, 0, 0, 0);
        int jobs = 0, dbtRuns = 0, requeued = 0, notifications = 0;
        for (String s : scenarios) {
            UUID conn = conns.get(s);
            // A run interrupted by the kill ends failed first; its re-queued run then succeeds.
            await().atMost(FLOW)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> runs(s + "_run").stream().anyMatch(FaultSuiteTest::succeeded));
            endings = endings.plus(Endings.of(conn));
            jobs += pipeline.airbyte.jobs(conn).size();
            assertThat(pipeline.airbyte.jobs(conn)).as("%s: Airbyte jobs", s).hasSize(1);
            List<JsonNode> runs = runs(s + "_run");
            dbtRuns += runs.size();
            long requeues = runs.stream().filter(r -> r.hasNonNull("requeuedFrom")).count();
            requeued += (int) requeues;
            assertThat(runs)
                    .as("%s: dbt runs (one, or one re-queued after the kill)", s)
                    .hasSize(1 + (int) requeues);
            assertThat(runs.stream().filter(FaultSuiteTest::succeeded))
                    .as("%s: successful dbt runs", s)
                    .hasSize(1);
            await().atMost(FLOW).until(() -> webhookIds(s).size() == 2);
            notifications += webhookIds(s).size();
        }
        // Late doubles would show up here: nothing more arrives for a few seconds.
        int expected = notifications;
        await().during(QUIET)
                .atMost(QUIET.multipliedBy(2))
                .until(
                        () ->
                                scenarios.stream().mapToInt(s -> webhookIds(s).size()).sum()
                                        == expected);
        System.out.printf(
                "fault suite: SIGKILL at random moments (ms after the first delivery): %s;"
                        + " %s; Airbyte jobs %d for %d connections; dbt runs %d, of them"
                        + " re-queued after a kill %d; notifications %d distinct (expected %d);"
                        + " worst webhook answer %d ms%n",
                killedAtMs,
                endings,
                jobs,
                conns.size(),
                dbtRuns,
                requeued,
                notifications,
                2 * scenarios.size(),
                Collections.max(answers).toMillis());
        assertThat(endings).isEqualTo(new Endings(4, 4, 0, 0));
        assertThat(Collections.max(answers)).isLessThanOrEqualTo(secs(12));
    }

    /**
     * What a sender does until its delivery is accepted: the same delivery id again after a 503 or
     * a refused connection (the trigger-service may be down); returns the answer times.
     */
    private static List<Duration> deliverUntilAccepted(String scenario) {
        List<Duration> answers = new ArrayList<>();
        await().atMost(FLOW)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            long t = System.nanoTime();
                            try {
                                int status =
                                        deliver(scenario + "-hook", scenario + "-delivery-1")
                                                .status();
                                answers.add(Duration.ofNanos(System.nanoTime() - t));
                                return status / 100 == 2;
                            } catch (UncheckedIOException refused) {
                                return false;
                            }
                        });
        return answers;
    }

    private static boolean succeeded(JsonNode run) {
        return run.path("status").asText().equals("succeeded");
    }

    /** The distinct notifications the scenario's subscriber received. */
    private static Set<String> webhookIds(String scenario) {
        return receiver.at("/" + scenario).stream()
                .map(r -> r.header("webhook-id"))
                .collect(Collectors.toSet());
    }

    /**
     * For 20 s: the scenario's webhook delivery, sent again as a sender retries, answers 503 within
     * the publish timeout + 2 s; meanwhile every service's readiness, asked again and again from
     * the moment of the freeze, answers DOWN within 3 s.
     */
    private static void answeredInTimeWhileFrozen(String what, String scenario) {
        Duration bound = secs(12);
        // A thread for the sender and one per service: the probes run at the same moment.
        ExecutorService threads = Executors.newFixedThreadPool(1 + Pipeline.SERVICES.length);
        try {
            answeredInTimeWhileFrozen(what, scenario, bound, threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void answeredInTimeWhileFrozen(
            String what, String scenario, Duration bound, ExecutorService threads) {
        long frozenAt = System.nanoTime();
        BooleanSupplier frozenFor20s =
                () -> Duration.ofNanos(System.nanoTime() - frozenAt).compareTo(secs(20)) < 0;
        CompletableFuture<List<Duration>> webhooks =
                CompletableFuture.supplyAsync(
                        () -> {
                            List<Duration> answers = new ArrayList<>();
                            do {
                                long t = System.nanoTime();
                                Http.Answer answer =
                                        deliver(scenario + "-hook", scenario + "-delivery-1");
                                answers.add(Duration.ofNanos(System.nanoTime() - t));
                                assertThat(answer.status())
                                        .as("webhook while %s is frozen", what)
                                        .isEqualTo(503);
                            } while (frozenFor20s.getAsBoolean());
                            return answers;
                        },
                        threads);
        List<Duration> readiness = new ArrayList<>();
        do {
            // No pause between rounds: a frozen dependency's check itself takes its 2 s.
            List<CompletableFuture<Duration>> probes = new ArrayList<>();
            for (String service : Pipeline.SERVICES) {
                probes.add(
                        CompletableFuture.supplyAsync(() -> readinessDown(service, what), threads));
            }
            probes.forEach(p -> readiness.add(p.join()));
        } while (frozenFor20s.getAsBoolean());
        List<Duration> answers = webhooks.join();
        Duration worstWebhook = Collections.max(answers);
        Duration worstReadiness = Collections.max(readiness);
        System.out.printf(
                "fault suite: %s frozen 20 s: %d webhook answers, all 503, worst %d ms"
                        + " (bound %d ms); %d readiness answers, all DOWN (liveness UP), worst %d ms%n",
                what,
                answers.size(),
                worstWebhook.toMillis(),
                bound.toMillis(),
                readiness.size(),
                worstReadiness.toMillis());
        assertThat(worstWebhook).isLessThanOrEqualTo(bound);
        assertThat(worstReadiness).isLessThanOrEqualTo(secs(3));
    }

    /** How long the service's readiness took to answer; it must be DOWN, liveness UP. */
    private static Duration readinessDown(String service, String what) {
        long r = System.nanoTime();
        int status = pipeline.service(service).readinessStatus(secs(3));
        Duration took = Duration.ofNanos(System.nanoTime() - r);
        assertThat(status).as("%s readiness while %s is frozen", service, what).isEqualTo(503);
        assertThat(pipeline.service(service).status("/q/health/live", secs(3)))
                .as("%s liveness while %s is frozen", service, what)
                .isEqualTo(200);
        return took;
    }

    /**
     * The connection's accepted requests (distinct request ids) and, per request, whether it has
     * exactly one ending (by event id), none (lost) or more (doubled).
     */
    private record Endings(int accepted, int ended, int lost, int doubled) {
        static Endings of(UUID conn) {
            Set<String> requests = ids(events(Topics.SYNC_REQUESTS, forKey(conn), 1));
            List<ReceivedEvent> endings =
                    events(Topics.SYNC_EVENTS, forKey(conn).and(FaultSuiteTest::isSyncEnding), 1);
            int ended = 0, lost = 0, doubled = 0;
            for (String request : requests) {
                long n =
                        endings.stream()
                                .filter(
                                        e ->
                                                e.data()
                                                        .path("requestIds")
                                                        .toString()
                                                        .contains(request))
                                .map(ReceivedEvent::id)
                                .distinct()
                                .count();
                ended += n == 1 ? 1 : 0;
                lost += n == 0 ? 1 : 0;
                doubled += n > 1 ? 1 : 0;
            }
            return new Endings(requests.size(), ended, lost, doubled);
        }

        Endings plus(Endings o) {
            return new Endings(
                    accepted + o.accepted, ended + o.ended, lost + o.lost, doubled + o.doubled);
        }

        @Override
        public String toString() {
            return "accepted %d, ended %d, lost %d, doubled %d"
                    .formatted(accepted, ended, lost, doubled);
        }
    }

    /** The sender's retry is accepted and the flow completes: one Airbyte job, one dbt run. */
    private static void completesOnceAfterTheThaw(UUID conn, String scenario) {
        await().atMost(FLOW)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                deliver(scenario + "-hook", scenario + "-delivery-1").status() / 100
                                        == 2);
        ReceivedEvent end = awaitTransformEnd(scenario + "_run");
        assertThat(end.type()).isEqualTo("io.tributary.transform.succeeded");
        readers.get(Topics.TRANSFORM_EVENTS).drain(rec -> false, QUIET);
        Endings endings = Endings.of(conn);
        System.out.printf(
                "fault suite: after the thaw (%s): %s; %d Airbyte job, %d dbt run (one of each"
                        + " expected)%n",
                scenario,
                endings,
                pipeline.airbyte.jobs(conn).size(),
                dbtRuns(scenario + "_run").size());
        assertThat(endings).isEqualTo(new Endings(1, 1, 0, 0));
        assertThat(pipeline.airbyte.jobs(conn)).hasSize(1);
        assertThat(dbtRuns(scenario + "_run")).hasSize(1);
    }

    // 30. fault suite, after every other scenario (it leaves the other services stopped): SIGTERM
    //     stops every service within 10 s; the notifier, started again, SIGKILLed and restarted,
    //     delivers the next notification within 10 s of its readiness (static group membership: no
    //     wait for its dead self's session), exactly once; a promise whose deadline passed while
    //     the notifier was down is missed once after the restart, and not again after the crash.
    @Test
    @Order(30)
    void everyServiceStopsWithinTenSecondsAndARestartedNotifierDeliversAtOnce() {
        String conn = UUID.randomUUID().toString();
        String promise =
                expect(
                        "s30 never syncs",
                        Map.of("kind", "connection", "id", UUID.randomUUID().toString()),
                        Map.of("freshness", Map.of("every", "PT10S")));
        Instant deadline = Instant.now().plusSeconds(10);
        subscribe(
                "s9-subscriber",
                List.of("io.tributary.sync.failed"),
                "data.connectionId == '" + conn + "'",
                "/s9");
        Map<String, Duration> stops = pipeline.stopAll(Duration.ofSeconds(10));
        System.out.printf("fault suite: SIGTERM → exit per service: %s%n", stops);
        assertThat(stops)
                .hasSize(Pipeline.SERVICES.length)
                .allSatisfy(
                        (service, took) ->
                                assertThat(took).as(service).isLessThanOrEqualTo(secs(10)));

        // The promise's deadline passes while no notifier runs.
        await().atMost(secs(30)).until(() -> Instant.now().isAfter(deadline.plusSeconds(1)));
        pipeline.restart("notifier-service");
        events(Topics.EXPECTATION_EVENTS, forKey(promise), 1);
        pipeline.crashAndRestart("notifier-service");
        long ready = System.nanoTime();
        publishSyncFailed(conn);
        await().atMost(secs(10)).until(() -> !receiver.at("/s9").isEmpty());
        System.out.printf(
                "fault suite: notifier SIGKILLed and restarted: the next notification arrived %d ms"
                        + " after its readiness%n",
                Duration.ofNanos(System.nanoTime() - ready).toMillis());
        // Exactly once as the receiver sees it: one webhook-id, one delivery.
        await().during(secs(3)).atMost(secs(5)).until(() -> receiver.at("/s9").size() == 1);
        // One miss: one ce_id (the outbox may send a record again after the SIGKILL, with the
        // same ce_id, which consumers dedupe on), and it is a missed.
        List<ReceivedEvent> raised =
                readers
                        .get(Topics.EXPECTATION_EVENTS)
                        .drain(rec -> isKey(rec, promise), QUIET)
                        .stream()
                        .map(PipelineSuite::validated)
                        .toList();
        assertThat(raised).extracting(ReceivedEvent::id).containsOnly(raised.get(0).id());
        assertThat(raised)
                .extracting(ReceivedEvent::type)
                .containsOnly("io.tributary.expectation.missed");
    }

    /** A contract {@code io.tributary.sync.failed} for {@code conn}, straight onto its topic. */
    private static void publishSyncFailed(String conn) {
        Instant now = Instant.now();
        SyncFinished failed =
                new SyncFinished(
                        conn,
                        9L,
                        JobType.SYNC,
                        List.of(),
                        false,
                        now.minusSeconds(60),
                        UUID.randomUUID().toString(),
                        SyncStatus.FAILED,
                        now,
                        Duration.ofSeconds(60),
                        0L,
                        0L,
                        FailureReason.AIRBYTE_FAILED,
                        "fault suite");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                pipeline.kafkaBootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            CloudEventKafka.record(
                                    failed.ceType(),
                                    UUID.randomUUID().toString(),
                                    conn,
                                    failed,
                                    CloudEventKafka.source("sync-monitor-service")))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the test event", e);
        }
    }
}
