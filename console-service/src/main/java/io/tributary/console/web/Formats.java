package io.tributary.console.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How times and durations read on the pages: UTC, short, the same everywhere. */
@TemplateExtension
public class Formats {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** {@code 2026-11-29 21:40:03} (UTC). */
    public static String utc(Instant t) {
        return t == null ? "–" : TIME.format(t);
    }

    /** {@code 12 s ago}, {@code 3 min ago}, {@code 5 h ago}, {@code 2 d ago}. */
    static String ago(Instant t) {
        if (t == null) {
            return "–";
        }
        long s = Math.max(0, Duration.between(t, Instant.now()).toSeconds());
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " d ago";
    }

    /** {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 10 min}. */
    public static String human(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
