package io.tributary.notifier.expectation;

import java.time.Instant;
import java.util.Locale;

/** The one line for people an expectation event carries. */
final class Messages {
    private Messages() {}

    static String missed(Expectation x, Instant lastKeptAt, VolumeVerdict verdict) {
        String subject = subject(x);
        if (verdict != null) {
            return String.format(
                    Locale.ROOT,
                    "%s synced %,d rows, below the %,d it promises (%s)",
                    subject,
                    verdict.rows(),
                    verdict.threshold(),
                    median(verdict));
        }
        String since =
                lastKeptAt == null
                        ? "no success seen since the expectation was made"
                        : "last success " + lastKeptAt;
        return subject + " missed its promise: " + Deadlines.describe(x) + " (" + since + ")";
    }

    static String recovered(
            Expectation x, Instant keptAt, Instant deadline, VolumeVerdict verdict) {
        String subject = subject(x);
        if (verdict != null) {
            return String.format(
                    Locale.ROOT,
                    "%s synced %,d rows again (%s)",
                    subject,
                    verdict.rows(),
                    median(verdict));
        }
        return subject + " succeeded again at " + keptAt + " (deadline was " + deadline + ")";
    }

    private static String subject(Expectation x) {
        return x.subject().kind().wire() + " " + x.subject().id();
    }

    private static String median(VolumeVerdict verdict) {
        return verdict.median() == null
                ? "no previous syncs"
                : String.format(Locale.ROOT, "median of the previous syncs %,d", verdict.median());
    }
}
