package io.tributary.console.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;

/**
 * One hop of a run: the trigger, a sync request or Airbyte job, a dbt run, the notifications.
 *
 * @param kind {@code trigger}, {@code sync}, {@code dbt} or {@code notify}
 * @param status {@code done}, {@code waiting}, {@code running}, {@code succeeded}, {@code failed},
 *     {@code cancelled}, {@code skipped} (a dbt run that was due but had nothing to build)
 * @param detail one line: rows, a failure reason, a summary
 * @param ref what the owner calls it: the Airbyte job id, the dbt run id (null otherwise)
 * @param subject the Airbyte connection id of a sync step (to show its name), else null
 */
public record Step(
        String kind,
        String label,
        String status,
        Instant startedAt,
        Instant endedAt,
        String detail,
        String ref,
        String subject) {

    /** The same step labelled with its connection's name, when one is known. */
    public Step named(java.util.Map<String, String> names) {
        String name = subject == null ? null : names.get(subject);
        if (name == null) {
            return this;
        }
        String rest = label.substring(label.indexOf('·') < 0 ? label.length() : label.indexOf('·'));
        return new Step(
                kind,
                "sync " + name + (rest.isEmpty() ? "" : " " + rest),
                status,
                startedAt,
                endedAt,
                detail,
                ref,
                subject);
    }

    /** How long the step took (so far), or null without a start. */
    @JsonIgnore
    public Duration duration() {
        if (startedAt == null) {
            return null;
        }
        Instant end = endedAt != null ? endedAt : startedAt;
        return end.isBefore(startedAt) ? Duration.ZERO : Duration.between(startedAt, end);
    }

    /** The duration as the pages show it; empty when it has none or took no time. */
    @JsonIgnore
    public String took() {
        Duration d = duration();
        return d == null || d.isZero() ? "" : io.tributary.console.web.Formats.human(d);
    }

    @JsonIgnore
    public boolean isOpen() {
        return status.equals("waiting") || status.equals("running");
    }
}
