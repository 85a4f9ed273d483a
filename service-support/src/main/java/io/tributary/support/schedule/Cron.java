package io.tributary.support.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression in a time zone: Unix syntax with 5 fields ({@code 0 *}{@code /6 * * *}), or 6
 * fields with seconds first ({@code 0 0 *}{@code /6 * * *}). Fire times follow the zone's wall
 * clock, daylight saving time included.
 */
public final class Cron {
    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime executionTime;

    private Cron(String expression, ZoneId zone, ExecutionTime executionTime) {
        this.expression = expression;
        this.zone = zone;
        this.executionTime = executionTime;
    }

    /**
     * Parses and validates.
     *
     * @throws IllegalArgumentException with a message for people when the syntax or zone is wrong
     */
    public static Cron parse(String expression, String zone) {
        if (expression == null || expression.isBlank() || expression.length() > 200) {
            throw new IllegalArgumentException(
                    "cron is required (5 fields, or 6 with seconds first)");
        }
        String trimmed = expression.trim();
        int fields = trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException(
                    "cron '"
                            + trimmed
                            + "' has "
                            + fields
                            + " fields: use 5 (Unix) or 6 (seconds first)");
        }
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "timeZone '" + zone + "' is not an IANA time zone id");
        }
        try {
            var cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(trimmed).validate();
            return new Cron(trimmed, zoneId, ExecutionTime.forCron(cron));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "cron '" + trimmed + "' is not valid: " + e.getMessage());
        }
    }

    /** The first fire time strictly after {@code t}; empty if the expression never fires again. */
    public Optional<Instant> nextAfter(Instant t) {
        return executionTime.nextExecution(t.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /** The last fire time at or before {@code t}. */
    public Optional<Instant> lastAtOrBefore(Instant t) {
        ZonedDateTime at = t.atZone(zone);
        if (executionTime.isMatch(at.withNano(0)) && at.getNano() == 0) {
            return Optional.of(t);
        }
        return executionTime.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** Up to {@code count} fire times after {@code t}, in the cron's zone. */
    public List<ZonedDateTime> upcoming(Instant t, int count) {
        List<ZonedDateTime> times = new ArrayList<>();
        ZonedDateTime cursor = t.atZone(zone);
        for (int i = 0; i < count; i++) {
            Optional<ZonedDateTime> next = executionTime.nextExecution(cursor);
            if (next.isEmpty()) {
                break;
            }
            times.add(next.get());
            cursor = next.get();
        }
        return times;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
