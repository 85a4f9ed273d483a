package io.tributary.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.CloudEventKafka;
import io.tributary.events.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PipelineLogTest {

    @Test
    void oneReadableLinePerEvent() {
        String failed =
                PipelineLog.line(
                        consumed(
                                EventType.SYNC_FAILED,
                                "c0ffee00-0000-4000-8000-000000000002",
                                Map.of(
                                        "connectionId", "c0ffee00-0000-4000-8000-000000000002",
                                        "jobId", 7,
                                        "rowsSynced", 0,
                                        "duration", "PT3S",
                                        "reason", "airbyte_failed",
                                        "message", "Stripe API answered 401")));
        assertThat(failed)
                .contains("sync.failed")
                .contains("c0ffee00-0000-4000-8000-000000000002")
                .contains("job 7, 0 rows, PT3S, airbyte_failed: Stripe API answered 401");

        String transform =
                PipelineLog.line(
                        consumed(
                                EventType.TRANSFORM_FAILED,
                                "demo_shop",
                                Map.of(
                                        "transformName", "demo_shop",
                                        "runId", "r1",
                                        "command", "build",
                                        "summary", Map.of("success", 5, "fail", 1),
                                        "failures",
                                                List.of(
                                                        Map.of(
                                                                "uniqueId",
                                                                "test.demo.not_null_x")))));
        assertThat(transform)
                .contains("transform.failed")
                .contains("dbt build run r1, 5 ok, 0 error, 0 skipped, 0 pass, 1 fail")
                .contains("✗ test.demo.not_null_x");
    }

    @Test
    void anUnreadableRecordIsSaidSoNotThrown() {
        var rec =
                new ConsumerRecord<String, byte[]>(
                        "tributary.sync.events", 0, 0, "k", "not json".getBytes());
        assertThat(PipelineLog.line(rec)).contains("unreadable record");
    }

    @Test
    void standardWebhooksSignaturesRoundTrip() {
        String secret = StandardWebhooks.newSecret();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String sig = StandardWebhooks.signature(secret, "msg_1", now, body);
        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(now), sig, body))
                .isTrue();
        assertThat(
                        StandardWebhooks.verify(
                                secret, "msg_1", Long.toString(now), "v1,bm9wZQ== " + sig, body))
                .as("any of several signatures")
                .isTrue();
        assertThat(StandardWebhooks.verify(secret, "msg_2", Long.toString(now), sig, body))
                .isFalse();
        assertThat(StandardWebhooks.verify(secret, "msg_1", Long.toString(now - 600), sig, body))
                .as("stale timestamp")
                .isFalse();
        assertThat(
                        StandardWebhooks.verify(
                                StandardWebhooks.newSecret(),
                                "msg_1",
                                Long.toString(now),
                                sig,
                                body))
                .isFalse();
        assertThat(StandardWebhooks.verify("not-a-secret", "msg_1", "1", sig, body)).isFalse();
    }

    private static ConsumerRecord<String, byte[]> consumed(
            EventType type, String key, Map<String, Object> data) {
        ProducerRecord<String, byte[]> p =
                CloudEventKafka.record(type, "id-1", key, data, "/test", Instant.now(), null);
        return new ConsumerRecord<>(
                p.topic(),
                0,
                0,
                0L,
                TimestampType.CREATE_TIME,
                0,
                p.value().length,
                p.key(),
                p.value(),
                p.headers(),
                java.util.Optional.empty());
    }
}
