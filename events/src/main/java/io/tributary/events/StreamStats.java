package io.tributary.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one Airbyte job committed for one stream (from the self-managed Configuration API's {@code
 * jobs/get} attempt stats), in {@link SyncFinished#streams()}.
 *
 * <p>Counts are as Airbyte reported them: a consumer treats a missing or negative count as unknown.
 *
 * @param namespace the stream's namespace (for a database source its schema), null when it has none
 * @param name the stream's name
 * @param recordsCommitted records the destination committed for this stream in the job
 * @param bytesCommitted bytes the destination committed for this stream in the job
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamStats(
        String namespace, String name, Long recordsCommitted, Long bytesCommitted) {}
