package io.tributary.console.web;

import java.util.List;
import java.util.Locale;

/** A tiny line chart as SVG points (oldest left), for durations and rows over the last runs. */
public record Sparkline(String points, String last, int count) {
    public static final int WIDTH = 120;
    public static final int HEIGHT = 28;

    /** {@code values} oldest first; nulls are skipped. */
    public static Sparkline of(List<? extends Number> values, String last) {
        List<Double> v =
                values.stream()
                        .filter(java.util.Objects::nonNull)
                        .map(Number::doubleValue)
                        .toList();
        if (v.isEmpty()) {
            return new Sparkline("", last, 0);
        }
        if (v.size() == 1) {
            v = List.of(v.get(0), v.get(0)); // one run: a flat line rather than nothing
        }
        double max = v.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
        double min = v.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
        double range = max - min == 0 ? 1 : max - min;
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            double x = v.size() == 1 ? WIDTH / 2.0 : 2 + i * (WIDTH - 4.0) / (v.size() - 1);
            double y = HEIGHT - 3 - (v.get(i) - min) / range * (HEIGHT - 6);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return new Sparkline(points.toString().trim(), last, v.size());
    }
}
