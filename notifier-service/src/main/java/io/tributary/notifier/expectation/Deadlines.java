package io.tributary.notifier.expectation;

import io.tributary.notifier.expectation.Promises.Deadline;
import io.tributary.notifier.expectation.Promises.Volume;
import io.tributary.support.schedule.Cron;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** When an expectation is next judged, and its promise in words. */
final class Deadlines {
    private Deadlines() {}

    /**
     * The next time the timer judges {@code x}: a freshness promise one {@code every} after its
     * last success (or after now, before any), a deadline promise at the cron's next fire time;
     * null for volume (judged on each sync) and for a missed freshness promise (the next success
     * sets it again).
     */
    static Instant next(Expectation x, ExpectationState state, Instant lastKeptAt, Instant now) {
        if (x.freshness() != null) {
            return state == ExpectationState.MISSED
                    ? null
                    : (lastKeptAt != null ? lastKeptAt : now).plus(every(x));
        }
        if (x.deadline() != null) {
            return cron(x.deadline()).nextAfter(now).orElse(null);
        }
        return null;
    }

    static Duration every(Expectation x) {
        return Duration.parse(x.freshness().every());
    }

    static Cron cron(Deadline d) {
        return Cron.parse(d.cron(), d.timeZone());
    }

    /** The fire time before {@code deadline}: a success after it keeps the deadline. */
    static Instant windowStart(Cron cron, Instant deadline) {
        return cron.lastAtOrBefore(deadline.minusSeconds(1)).orElse(Instant.EPOCH);
    }

    /** The promise in words, e.g. "succeeds at least every 6h". */
    static String describe(Expectation x) {
        if (x.freshness() != null) {
            return "succeeds at least every " + human(every(x));
        }
        if (x.deadline() != null) {
            return "has succeeded by each '"
                    + x.deadline().cron()
                    + "' ("
                    + x.deadline().timeZone()
                    + ") since the previous one";
        }
        Volume v = x.volume();
        String median =
                percent(v.fraction())
                        + " of the median of the last "
                        + v.history()
                        + " successful syncs";
        return v.minRows() == null
                ? "syncs at least " + median + ", and never 0 rows after non-zero syncs"
                : "syncs at least " + v.minRows() + " rows and " + median;
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0 && s > 0) {
            return (s / 86_400) + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return (s / 3600) + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return (s / 60) + "m";
        }
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
    }
}
