package io.tributary.monitor.job;

import io.tributary.events.FailureReason;
import io.tributary.events.SyncStatus;
import io.tributary.monitor.airbyte.AirbyteJob;

/**
 * How a job ended, as Tributary reports it: Airbyte's final status judged by the connection's
 * policy. Immutable; {@link #of} is a pure function.
 *
 * @param reason and {@code message}: only on {@link SyncStatus#FAILED}
 */
public record Ending(SyncStatus status, FailureReason reason, String message) {

    /**
     * @param job a job Airbyte reports as final ({@link AirbyteJob#isTerminal()})
     * @param minRecords the policy's minimum, or null
     * @param cancelledForDeadline we cancelled the job because its deadline passed (not an
     *     operator: their cancel ends {@code cancelled})
     * @param airbyteMessage Airbyte's failure message (from its webhook), or null
     */
    public static Ending of(
            AirbyteJob job, Long minRecords, boolean cancelledForDeadline, String airbyteMessage) {
        if (!job.isTerminal()) {
            throw new IllegalArgumentException("job " + job.jobId() + " has not ended");
        }
        switch (job.status()) {
            case "succeeded":
                long rows = job.rowsSynced() == null ? 0 : job.rowsSynced();
                if (minRecords != null && rows < minRecords) {
                    return new Ending(
                            SyncStatus.FAILED,
                            FailureReason.VALIDATION_FAILED,
                            "synced "
                                    + rows
                                    + " records, the connection's policy requires at least "
                                    + minRecords);
                }
                return new Ending(SyncStatus.SUCCEEDED, null, null);
            case "cancelled":
                return cancelledForDeadline
                        ? timedOut()
                        : new Ending(SyncStatus.CANCELLED, null, null);
            default:
                return new Ending(
                        SyncStatus.FAILED,
                        FailureReason.AIRBYTE_FAILED,
                        airbyteMessage != null && !airbyteMessage.isBlank()
                                ? airbyteMessage
                                : "Airbyte reported job " + job.jobId() + " as failed");
        }
    }

    public static Ending timedOut() {
        return new Ending(
                SyncStatus.FAILED,
                FailureReason.TIMED_OUT,
                "the job passed its deadline and was cancelled");
    }
}
