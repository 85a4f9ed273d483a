package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.console.run.Projection;
import io.tributary.console.run.RunRepository;
import io.tributary.console.run.RunStatus;
import io.tributary.console.run.RunSummary;
import io.tributary.console.run.Step;
import io.tributary.local.TributaryTestResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The read model is a function of the set of events: the same events fed in shuffled order and with
 * duplicates give the same runs, steps and memberships as the natural order.
 */
@QuarkusTest
@WithTestResource(
        value = TributaryTestResource.class,
        initArgs = @ResourceArg(name = "service", value = "console-service"),
        scope = TestResourceScope.GLOBAL)
class ProjectionTest {

    @Inject Projection projection;
    @Inject RunRepository runs;
    @Inject EntityManager em;

    @Test
    void theStoryReadsAsFourRunsWithTheRightChains() {
        Story story = Story.fourRuns();
        feed(Story.consumed(story.records));

        RunSummary a = find(story.run('a'));
        assertThat(a.status()).isEqualTo(RunStatus.FAILED);
        assertThat(a.triggerKind()).isEqualTo("webhook");
        assertThat(a.steps())
                .extracting(Step::kind)
                .containsExactly("trigger", "sync", "dbt", "notify");
        assertThat(a.steps())
                .extracting(Step::status)
                .containsExactly("done", "succeeded", "failed", "succeeded");
        assertThat(a.steps().get(1).detail()).isEqualTo("120 rows");
        assertThat(a.failure()).contains("not_null_orders_customer_id");
        assertThat(a.transforms()).containsExactly("shop_marts");

        RunSummary b = find(story.run('b'));
        assertThat(b.triggerKind()).isEqualTo("schedule");
        assertThat(b.steps())
                .extracting(Step::kind)
                .as("job 11 served B's request too, and dbt ran for both")
                .containsExactly("trigger", "sync", "dbt", "notify");

        RunSummary c = find(story.run('c'));
        assertThat(c.status()).isEqualTo(RunStatus.FAILED);
        assertThat(c.failure()).contains("connection_not_found").contains(Story.SCRIPT);

        RunSummary d = find(story.run('d'));
        assertThat(d.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(d.steps()).extracting(Step::status).containsExactly("done", "waiting");
    }

    @Test
    void shuffledAndDuplicatedEventsGiveTheSameReadModel() {
        Story story = Story.fourRuns();
        List<ConsumerRecord<String, byte[]>> records = Story.consumed(story.records);
        feed(records);
        String expected = snapshot(story);

        for (long seed : new long[] {1, 2, 3}) {
            clear(story);
            List<ConsumerRecord<String, byte[]>> shuffled = new ArrayList<>(records);
            shuffled.addAll(records.subList(0, records.size() / 2)); // some twice
            Collections.shuffle(shuffled, new Random(seed));
            shuffled.addAll(records); // and everything once more at the end
            feed(shuffled);
            assertThat(snapshot(story)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void aSkippedTransformEndsItsStepAndARetryDecidesTheRunsOutcome() {
        Story story = Story.changedOnly();
        List<ConsumerRecord<String, byte[]>> records = Story.consumed(story.records);
        List<ConsumerRecord<String, byte[]>> shuffled = new ArrayList<>(records);
        shuffled.addAll(records.subList(0, records.size() / 2));
        Collections.shuffle(shuffled, new Random(7));
        feed(shuffled);

        RunSummary e = find(story.run('e'));
        assertThat(e.steps())
                .extracting(Step::kind)
                .containsExactly("trigger", "sync", "dbt", "dbt");
        assertThat(e.steps())
                .extracting(Step::status)
                .containsExactly("done", "succeeded", "failed", "succeeded");
        assertThat(e.steps().get(3).label()).isEqualTo("dbt shop_marts · retry");
        assertThat(e.status()).as("the retry succeeded").isEqualTo(RunStatus.SUCCEEDED);
        assertThat(e.failure()).isNull();

        RunSummary f = find(story.run('f'));
        assertThat(f.steps())
                .extracting(Step::status)
                .containsExactly("done", "succeeded", "skipped");
        assertThat(f.steps().get(2).detail()).startsWith("no stream of the triggering syncs");
        assertThat(f.status()).isEqualTo(RunStatus.SUCCEEDED);

        RunSummary g = find(story.run('g'));
        assertThat(g.status()).isEqualTo(RunStatus.FAILED);
        assertThat(g.failure()).contains("stg_orders");
    }

    @Test
    void aRecordThatIsNotACloudEventIsCountedNotFatal() {
        ConsumerRecord<String, byte[]> junk =
                new ConsumerRecord<>(
                        "tributary.sync.events", 2, 987654321L, "k", "not json".getBytes());
        Projection.Outcome outcome =
                QuarkusTransaction.requiringNew().call(() -> projection.apply(junk));
        assertThat(outcome).isEqualTo(Projection.Outcome.UNREADABLE);
        Number n =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        (Number)
                                                em.createNativeQuery(
                                                                "select count(*) from unreadable_record"
                                                                        + " where kafka_offset = 987654321")
                                                        .getSingleResult());
        assertThat(n.intValue()).isEqualTo(1);
    }

    private void feed(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            QuarkusTransaction.requiringNew().run(() -> projection.apply(r));
        }
    }

    private RunSummary find(String corr) {
        return QuarkusTransaction.requiringNew().call(() -> runs.find(corr)).orElseThrow();
    }

    /** The story's runs and memberships, as text. */
    private String snapshot(Story story) {
        TreeMap<String, String> out = new TreeMap<>();
        for (char letter : new char[] {'a', 'b', 'c', 'd'}) {
            String corr = story.run(letter);
            out.put(corr, find(corr).toString());
            List<?> links =
                    QuarkusTransaction.requiringNew()
                            .call(
                                    () ->
                                            em.createNativeQuery(
                                                            "select event_id from run_event where"
                                                                    + " correlation_id = ?1 order by"
                                                                    + " event_id")
                                                    .setParameter(1, corr)
                                                    .getResultList());
            out.put(corr + " events", links.toString());
        }
        return out.toString();
    }

    private void clear(Story story) {
        QuarkusTransaction.requiringNew()
                .run(
                        () -> {
                            em.createNativeQuery(
                                            "delete from pipeline_run where correlation_id like ?1")
                                    .setParameter(1, "%" + story.tag)
                                    .executeUpdate();
                            em.createNativeQuery(
                                            "delete from pipeline_event where event_id like ?1")
                                    .setParameter(1, "%" + story.tag + "%")
                                    .executeUpdate();
                        });
    }
}
