package io.tributary.transform.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.events.EventJson;
import io.tributary.events.StreamStats;
import io.tributary.events.SyncFinished;
import java.util.List;

/**
 * A sync ending that triggered a run, with what its job committed per stream ({@code streams} null:
 * not reported). Stored with the run ({@code transform_run.endings}) and the fan-in state as JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncEnding(String connectionId, Long jobId, List<StreamStats> streams) {
    private static final TypeReference<List<SyncEnding>> LIST = new TypeReference<>() {};

    /** An operator's trigger: no sync, so the run selects what the definition selects. */
    public static final SyncEnding MANUAL = new SyncEnding(null, null, null);

    /** True for {@link #MANUAL}. */
    @JsonIgnore
    public boolean isManual() {
        return connectionId == null;
    }

    public static SyncEnding of(SyncFinished sync) {
        return new SyncEnding(sync.connectionId(), sync.jobId(), sync.streams());
    }

    /** The JSON array of endings. */
    public static String toJson(List<SyncEnding> endings) {
        return EventJson.toJson(endings == null ? List.of() : endings);
    }

    /** Reads a JSON array of endings (empty for null). */
    public static List<SyncEnding> listOf(String json) {
        return json == null || json.isBlank()
                ? List.of()
                : EventJson.mapper().convertValue(EventJson.tree(json), LIST);
    }
}
