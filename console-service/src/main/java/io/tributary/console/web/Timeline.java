package io.tributary.console.web;

import io.tributary.console.run.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's steps as bars on one time axis (percentages of the run's span), drawn as SVG so that no
 * inline style is needed under the Content-Security-Policy.
 */
public record Timeline(Instant start, Instant end, List<Bar> bars) {

    /** One step's bar: where it starts and how wide it is, in percent of the axis. */
    public record Bar(Step step, String x, String width, int y, String durationText) {}

    public static final int ROW = 28;

    public static Timeline of(List<Step> steps, Instant now) {
        Instant start = null;
        Instant end = null;
        for (Step s : steps) {
            if (s.startedAt() != null) {
                start = start == null || s.startedAt().isBefore(start) ? s.startedAt() : start;
            }
            Instant e = s.endedAt() != null ? s.endedAt() : (s.isOpen() ? now : s.startedAt());
            if (e != null) {
                end = end == null || e.isAfter(end) ? e : end;
            }
        }
        if (start == null) {
            return new Timeline(null, null, List.of());
        }
        long span = Math.max(1, Duration.between(start, end).toMillis());
        List<Bar> bars = new ArrayList<>();
        int y = 0;
        for (Step s : steps) {
            Instant from = s.startedAt() != null ? s.startedAt() : start;
            Instant to = s.endedAt() != null ? s.endedAt() : (s.isOpen() ? now : from);
            double x = 100.0 * Duration.between(start, from).toMillis() / span;
            double w = Math.max(0.6, 100.0 * Duration.between(from, to).toMillis() / span);
            x = Math.min(x, 99.4);
            w = Math.min(w, 100 - x);
            bars.add(
                    new Bar(
                            s,
                            pct(x),
                            pct(w),
                            y + 4,
                            Formats.human(
                                    Duration.between(from, to).isNegative()
                                            ? Duration.ZERO
                                            : Duration.between(from, to))));
            y += ROW;
        }
        return new Timeline(start, end, bars);
    }

    public int height() {
        return Math.max(ROW, bars.size() * ROW);
    }

    public String span() {
        return start == null ? "" : Formats.human(Duration.between(start, end));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }
}
