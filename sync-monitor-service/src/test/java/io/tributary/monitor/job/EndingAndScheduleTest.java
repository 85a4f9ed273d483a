package io.tributary.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.FailureReason;
import io.tributary.events.SyncStatus;
import io.tributary.monitor.airbyte.AirbyteJob;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EndingAndScheduleTest {

    static AirbyteJob job(String status, Long rows) {
        return new AirbyteJob(7, "c", "sync", status, null, null, rows, 10L);
    }

    @Test
    void airbyteStatusesMapToEndings() {
        assertThat(Ending.of(job("succeeded", 5L), null, false, null).status())
                .isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(Ending.of(job("cancelled", 0L), null, false, null).status())
                .isEqualTo(SyncStatus.CANCELLED);
        Ending failed = Ending.of(job("failed", 0L), null, false, "source exploded");
        assertThat(failed.reason()).isEqualTo(FailureReason.AIRBYTE_FAILED);
        assertThat(failed.message()).isEqualTo("source exploded");
        assertThat(Ending.of(job("cancelled", 0L), null, true, null).reason())
                .isEqualTo(FailureReason.TIMED_OUT);
        Ending thin = Ending.of(job("succeeded", 5L), 6L, false, null);
        assertThat(thin.reason()).isEqualTo(FailureReason.VALIDATION_FAILED);
        assertThat(Ending.of(job("succeeded", 6L), 6L, false, null).status())
                .isEqualTo(SyncStatus.SUCCEEDED);
        assertThatThrownBy(() -> Ending.of(job("running", 0L), null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pollIntervalsGrowWithAgeWithinBoundsAndJitter() {
        PollSchedule s = new PollSchedule(Duration.ofSeconds(2), Duration.ofSeconds(30), 10);
        Random r = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertThat(s.next(Duration.ZERO, r).toMillis()).isBetween(1600L, 2400L);
            assertThat(s.next(Duration.ofSeconds(100), r).toMillis()).isBetween(8000L, 12000L);
            assertThat(s.next(Duration.ofHours(5), r).toMillis()).isBetween(24000L, 36000L);
        }
    }
}
