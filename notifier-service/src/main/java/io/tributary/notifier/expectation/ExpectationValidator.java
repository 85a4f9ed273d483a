package io.tributary.notifier.expectation;

import io.tributary.notifier.expectation.Promises.Deadline;
import io.tributary.notifier.expectation.Promises.Freshness;
import io.tributary.notifier.expectation.Promises.Volume;
import io.tributary.support.ApiException;
import io.tributary.support.schedule.Cron;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks an {@link ExpectationRequest} and makes the {@link Expectation} to store: every refusal is
 * an {@link ApiException#badRequest} naming the field, thrown before anything is written.
 */
final class ExpectationValidator {
    /** Ids appear in URLs and, later, in event keys; the column holds 64 characters. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    static final Pattern CONNECTION_ID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The names the transform-service accepts (its DefinitionValidator.NAME). */
    static final Pattern TRANSFORM_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    static final double DEFAULT_FRACTION = 0.1;
    static final int DEFAULT_HISTORY = 10;
    static final int MAX_HISTORY = 100;

    /** Fire times looked at to find a deadline cron's shortest gap. */
    private static final int CRON_LOOKAHEAD = 100;

    private final Duration minimum;

    ExpectationValidator(Duration minimum) {
        this.minimum = minimum;
    }

    Expectation build(ExpectationRequest r, String origin, Instant createdAt, Instant updatedAt) {
        if (r == null) {
            throw ApiException.badRequest("an expectation body is required");
        }
        if (r.id() == null || !ID.matcher(r.id()).matches()) {
            throw ApiException.badRequest(
                    "id must match " + ID.pattern() + " (letters, digits, . _ -; up to 64)");
        }
        String name = r.name() == null ? "" : r.name().trim();
        if (name.isEmpty() || name.length() > 200) {
            throw ApiException.badRequest("name is required (at most 200 characters)");
        }
        ExpectationSubject subject = subject(r.subject());
        requireOnePromise(r);
        if (r.volume() != null && subject.kind() != SubjectKind.CONNECTION) {
            throw ApiException.badRequest("volume: applies to connections only, not transforms");
        }
        return new Expectation(
                r.id(),
                name,
                subject,
                r.freshness() == null ? null : freshness(r.freshness()),
                r.deadline() == null ? null : deadline(r.deadline()),
                r.volume() == null ? null : volume(r.volume()),
                r.enabled() == null || r.enabled(),
                origin,
                createdAt,
                updatedAt);
    }

    private static ExpectationSubject subject(ExpectationSubject s) {
        if (s == null || s.kind() == null) {
            throw ApiException.badRequest("subject.kind is required: connection or transform");
        }
        String id = s.id() == null ? "" : s.id().trim();
        if (s.kind() == SubjectKind.CONNECTION) {
            if (!CONNECTION_ID.matcher(id).matches()) {
                throw ApiException.badRequest("subject.id must be an Airbyte connection UUID");
            }
            return new ExpectationSubject(s.kind(), id.toLowerCase(Locale.ROOT));
        }
        if (!TRANSFORM_NAME.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "subject.id must be a transform name matching " + TRANSFORM_NAME.pattern());
        }
        return new ExpectationSubject(s.kind(), id);
    }

    private static void requireOnePromise(ExpectationRequest r) {
        List<String> given = new ArrayList<>();
        if (r.freshness() != null) {
            given.add("freshness");
        }
        if (r.deadline() != null) {
            given.add("deadline");
        }
        if (r.volume() != null) {
            given.add("volume");
        }
        if (given.size() != 1) {
            throw ApiException.badRequest(
                    "exactly one promise is required: freshness, deadline or volume"
                            + (given.isEmpty()
                                    ? ""
                                    : " (got " + String.join(" and ", given) + ")"));
        }
    }

    private Freshness freshness(Freshness f) {
        Duration every;
        try {
            every = Duration.parse(f.every() == null ? "" : f.every().trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "freshness.every must be an ISO-8601 duration such as PT6H or P1D");
        }
        if (every.compareTo(minimum) < 0) {
            throw ApiException.badRequest(
                    "freshness.every " + every + " is below the minimum " + minimum);
        }
        return new Freshness(every.toString());
    }

    private Deadline deadline(Deadline d) {
        String cron = d.cron() == null ? "" : d.cron().trim();
        int fields = cron.isEmpty() ? 0 : cron.split("\\s+").length;
        if (cron.length() > 200 || (fields != 5 && fields != 6)) {
            throw ApiException.badRequest(
                    "deadline.cron must have 5 fields (minute hour day-of-month month"
                            + " day-of-week), or 6 with seconds first");
        }
        String zone = d.timeZone() == null ? "UTC" : d.timeZone().trim();
        Cron parsed;
        try {
            parsed = Cron.parse(cron, zone);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("deadline." + e.getMessage());
        }
        requireGapsOfAtLeastMinimum(cron, parsed);
        return new Deadline(cron, parsed.zone().getId());
    }

    /** A deadline that never comes, or comes more often than the minimum, is refused. */
    private void requireGapsOfAtLeastMinimum(String cron, Cron parsed) {
        List<ZonedDateTime> times = parsed.upcoming(Instant.now(), CRON_LOOKAHEAD);
        if (times.isEmpty()) {
            throw ApiException.badRequest("deadline.cron '" + cron + "' never fires");
        }
        for (int i = 1; i < times.size(); i++) {
            Duration gap = Duration.between(times.get(i - 1), times.get(i));
            if (gap.compareTo(minimum) < 0) {
                throw ApiException.badRequest(
                        "deadline.cron '"
                                + cron
                                + "' fires "
                                + gap
                                + " apart, below the minimum "
                                + minimum);
            }
        }
    }

    private static Volume volume(Volume v) {
        if (v.minRows() != null && v.minRows() < 0) {
            throw ApiException.badRequest("volume.minRows must be 0 or more");
        }
        double fraction = v.fraction() == null ? DEFAULT_FRACTION : v.fraction();
        if (!(fraction >= 0 && fraction <= 1)) {
            throw ApiException.badRequest("volume.fraction must be between 0 and 1");
        }
        int history = v.history() == null ? DEFAULT_HISTORY : v.history();
        if (history < 1 || history > MAX_HISTORY) {
            throw ApiException.badRequest("volume.history must be between 1 and " + MAX_HISTORY);
        }
        return new Volume(v.minRows(), fraction, history);
    }
}
