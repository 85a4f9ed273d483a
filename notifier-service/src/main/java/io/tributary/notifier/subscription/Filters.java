package io.tributary.notifier.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Narrows a subscription. {@code connections} scopes sync events, {@code transforms} scopes
 * transform events; when only one of the two is set, events of the other kind are excluded (a
 * subscription scoped to some connections is not about transforms). {@code reasons} applies to
 * failures only: a sync failure's {@code reason}, or for a transform failure {@code node_failed}
 * (dbt exit code 1) or {@code dbt_failed} (dbt itself failed).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Filters(List<String> connections, List<String> transforms, List<String> reasons) {
    public static final Filters NONE = new Filters(List.of(), List.of(), List.of());

    public Filters {
        connections = clean(connections);
        transforms = clean(transforms);
        reasons = clean(reasons);
    }

    private static List<String> clean(List<String> values) {
        return values == null
                ? List.of()
                : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }
}
