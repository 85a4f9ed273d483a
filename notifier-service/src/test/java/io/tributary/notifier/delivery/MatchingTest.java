package io.tributary.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.Filters;
import io.tributary.notifier.subscription.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchingTest {
    static final String CONNECTION = "3f2a1c7e-1111-4222-8333-444455556666";

    static EventFacts facts(SyncStatus status, FailureReason reason, String message) {
        SyncFinished data =
                new SyncFinished(
                        CONNECTION,
                        1L,
                        JobType.SYNC,
                        List.of(),
                        false,
                        Instant.now(),
                        null,
                        status,
                        Instant.now(),
                        Duration.ofSeconds(1),
                        0L,
                        0L,
                        reason,
                        message);
        var record =
                CloudEventKafka.record(
                        EventType.syncFinished(status), EventIds.random(), CONNECTION, data, "/t");
        return EventFacts.of(
                        CloudEventKafka.read(record.key(), record.headers(), record.value())
                                .toOptional()
                                .orElseThrow())
                .orElseThrow();
    }

    static Subscription subscription(List<String> types, Filters filters) {
        return new Subscription(
                "id",
                "n",
                types,
                filters,
                ChannelType.SLACK,
                null,
                true,
                true,
                null,
                "api",
                null,
                null);
    }

    @Test
    void typesMatchExactlyOrByPrefix() {
        Subscription s =
                subscription(List.of("io.tributary.sync.*", "io.tributary.transform.failed"), null);
        assertThat(s.matchesType("io.tributary.sync.failed")).isTrue();
        assertThat(s.matchesType("io.tributary.transform.failed")).isTrue();
        assertThat(s.matchesType("io.tributary.transform.succeeded")).isFalse();
        assertThat(s.matchesType("io.tributary.syncx.failed")).isFalse();
    }

    @Test
    void filtersScopeSubjectsAndReasons() {
        EventFacts failed = facts(SyncStatus.FAILED, FailureReason.TIMED_OUT, "slow");
        assertThat(failed.subject()).isEqualTo("connection:" + CONNECTION);
        assertThat(DeliveryPlanner.inScope(Filters.NONE, failed)).isTrue();
        assertThat(DeliveryPlanner.inScope(new Filters(List.of(CONNECTION), null, null), failed))
                .isTrue();
        assertThat(DeliveryPlanner.inScope(new Filters(List.of("other"), null, null), failed))
                .isFalse();
        assertThat(DeliveryPlanner.inScope(new Filters(null, List.of("mart"), null), failed))
                .isFalse();
        Subscription timeouts =
                subscription(
                        List.of("io.tributary.sync.*"),
                        new Filters(null, null, List.of("timed_out")));
        Subscription airbyte =
                subscription(
                        List.of("io.tributary.sync.*"),
                        new Filters(null, null, List.of("airbyte_failed")));
        assertThat(DeliveryPlanner.matches(timeouts, failed)).isTrue();
        assertThat(DeliveryPlanner.matches(airbyte, failed)).isFalse();
        // Reasons filter failures only: a success still matches (and can recover).
        assertThat(DeliveryPlanner.matches(airbyte, facts(SyncStatus.SUCCEEDED, null, null)))
                .isTrue();
    }

    @Test
    void theFingerprintSaysWhetherTheStateChanged() {
        assertThat(facts(SyncStatus.FAILED, FailureReason.AIRBYTE_FAILED, "a").fingerprint())
                .isEqualTo(
                        facts(SyncStatus.FAILED, FailureReason.AIRBYTE_FAILED, "a").fingerprint())
                .isNotEqualTo(
                        facts(SyncStatus.FAILED, FailureReason.AIRBYTE_FAILED, "b").fingerprint());
        assertThat(facts(SyncStatus.SUCCEEDED, null, null).outcome())
                .isEqualTo(EventFacts.Outcome.SUCCESS);
        assertThat(facts(SyncStatus.CANCELLED, null, null).outcome())
                .isEqualTo(EventFacts.Outcome.OTHER);
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            Duration d = Backoff.after(attempt, Duration.ofSeconds(5), Duration.ofMinutes(10));
            long step = Math.min(5000L << Math.min(attempt - 1, 20), 600_000L);
            assertThat(d.toMillis()).isBetween(step / 2, step);
        }
    }
}
