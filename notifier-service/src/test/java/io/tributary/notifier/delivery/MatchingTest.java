package io.tributary.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventIds;
import io.tributary.events.EventType;
import io.tributary.events.FailureReason;
import io.tributary.events.JobType;
import io.tributary.events.SyncFinished;
import io.tributary.events.SyncStatus;
import io.tributary.events.TransformEvent;
import io.tributary.events.TransformStatus;
import io.tributary.events.TransformTrigger;
import io.tributary.events.TransformTriggerKind;
import io.tributary.notifier.subscription.ChannelType;
import io.tributary.notifier.subscription.LegacyFilters;
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

    static Subscription subscription(List<String> types, String filter) {
        return new Subscription(
                "id",
                "n",
                types,
                filter,
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

    /** The old filters, as the CEL they are translated to, decide as they did. */
    static boolean passes(LegacyFilters filters, EventFacts facts) {
        return DeliveryPlanner.passes(
                subscription(List.of("*"), filters.toCel()), facts.variables());
    }

    @Test
    void filtersScopeSubjectsAndReasons() {
        EventFacts failed = facts(SyncStatus.FAILED, FailureReason.TIMED_OUT, "slow");
        assertThat(failed.subject()).isEqualTo("connection:" + CONNECTION);
        assertThat(new LegacyFilters(null, null, null).toCel()).isNull();
        assertThat(DeliveryPlanner.passes(subscription(List.of("*"), null), failed.variables()))
                .isTrue();
        assertThat(passes(new LegacyFilters(List.of(CONNECTION), null, null), failed)).isTrue();
        assertThat(passes(new LegacyFilters(List.of("other"), null, null), failed)).isFalse();
        assertThat(passes(new LegacyFilters(null, List.of("mart"), null), failed)).isFalse();
        assertThat(passes(new LegacyFilters(List.of("other"), List.of("mart"), null), failed))
                .isFalse();
        assertThat(passes(new LegacyFilters(List.of(CONNECTION), List.of("mart"), null), failed))
                .isTrue();
        LegacyFilters timeouts = new LegacyFilters(null, null, List.of("timed_out"));
        LegacyFilters airbyte = new LegacyFilters(null, null, List.of("airbyte_failed"));
        assertThat(passes(timeouts, failed)).isTrue();
        assertThat(passes(airbyte, failed)).isFalse();
        assertThat(passes(new LegacyFilters(null, null, List.of("node_failed")), failed)).isFalse();
        // Reasons filter failures only: a success still matches (and can recover).
        assertThat(passes(airbyte, facts(SyncStatus.SUCCEEDED, null, null))).isTrue();
        assertThat(
                        new LegacyFilters(
                                        List.of("a'b\\c"),
                                        List.of("mart"),
                                        List.of("timed_out", "dbt_failed"))
                                .toCel())
                .isEqualTo(
                        "((type.startsWith('io.tributary.sync.') && data.connectionId in"
                                + " ['a\\'b\\\\c'])"
                                + " || (type.startsWith('io.tributary.transform.')"
                                + " && data.transformName in ['mart']))"
                                + " && (type != 'io.tributary.sync.failed'"
                                + " || data.reason in ['timed_out'])"
                                + " && (type != 'io.tributary.transform.failed'"
                                + " || !has(data.exitCode) || data.exitCode != 1)");
    }

    @Test
    void theReadmeExamplesAreValidFilters() {
        EventFacts failed = facts(SyncStatus.FAILED, FailureReason.TIMED_OUT, "quota exceeded");
        for (String example :
                List.of(
                        "data.rowsSynced > 0 && data.connectionId in ['" + CONNECTION + "']",
                        "type == 'io.tributary.sync.failed' && data.reason in ['airbyte_failed',"
                                + " 'timed_out']",
                        "data.transformName.startsWith('mart_')"
                                + " && data.failures.exists(f, f.uniqueId.startsWith('model.'))",
                        "!has(data.message) || !data.message.contains('quota')",
                        "type != 'io.tributary.sync.failed' || data.reason == 'timed_out'",
                        "type != 'io.tributary.sync.failed' || data.reason !="
                                + " 'connection_inactive'",
                        "data.connectionId in ['"
                                + CONNECTION
                                + "']"
                                + " || data.transformName == 'mart_orders'")) {
            io.tributary.support.cel.Conditions.EVENTS.compile(example);
        }
        assertThat(
                        DeliveryPlanner.passes(
                                subscription(
                                        List.of("*"),
                                        "type == 'io.tributary.sync.failed'"
                                                + " && data.reason in ['timed_out']"),
                                failed.variables()))
                .isTrue();
        assertThat(
                        DeliveryPlanner.passes(
                                subscription(
                                        List.of("*"),
                                        "!has(data.message) || !data.message.contains('quota')"),
                                failed.variables()))
                .isFalse();
        assertThat(
                        DeliveryPlanner.passes(
                                subscription(
                                        List.of("*"),
                                        "type != 'io.tributary.sync.failed'"
                                                + " || data.reason == 'airbyte_failed'"),
                                facts(SyncStatus.SUCCEEDED, null, null).variables()))
                .isTrue();
    }

    @Test
    void transformFailureReasonsFollowTheExitCode() {
        EventFacts nodeFailed = transformFailed(1);
        EventFacts dbtFailed = transformFailed(2);
        EventFacts noExitCode = transformFailed(null);
        LegacyFilters node = new LegacyFilters(null, null, List.of("node_failed"));
        LegacyFilters dbt = new LegacyFilters(null, null, List.of("dbt_failed"));
        LegacyFilters sync = new LegacyFilters(null, null, List.of("airbyte_failed"));
        assertThat(passes(node, nodeFailed)).isTrue();
        assertThat(passes(node, dbtFailed)).isFalse();
        assertThat(passes(node, noExitCode)).isFalse();
        assertThat(passes(dbt, nodeFailed)).isFalse();
        assertThat(passes(dbt, dbtFailed)).isTrue();
        assertThat(passes(dbt, noExitCode)).isTrue();
        assertThat(passes(sync, nodeFailed)).isFalse();
        assertThat(passes(new LegacyFilters(null, List.of("mart"), null), nodeFailed)).isTrue();
        assertThat(passes(new LegacyFilters(List.of(CONNECTION), null, null), nodeFailed))
                .isFalse();
    }

    static EventFacts transformFailed(Integer exitCode) {
        TransformEvent data =
                new TransformEvent(
                        "mart",
                        EventIds.random(),
                        TransformStatus.FAILED,
                        "build",
                        null,
                        "dev",
                        new TransformTrigger(TransformTriggerKind.MANUAL, List.of(), List.of()),
                        Instant.now(),
                        Instant.now(),
                        Duration.ofSeconds(1),
                        exitCode,
                        null,
                        List.of(),
                        null,
                        "dbt failed");
        var record =
                CloudEventKafka.record(
                        EventType.TRANSFORM_FAILED, EventIds.random(), "mart", data, "/t");
        return EventFacts.of(
                        CloudEventKafka.read(record.key(), record.headers(), record.value())
                                .toOptional()
                                .orElseThrow())
                .orElseThrow();
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
