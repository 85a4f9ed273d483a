package io.tributary.notifier.expectation;

import io.tributary.notifier.expectation.Promises.Volume;
import java.util.ArrayList;
import java.util.List;

/**
 * A sync's rows against a volume promise: below {@code minRows}, below {@code fraction} of the
 * median of the previous successful syncs (once there are {@value #MIN_SAMPLES} of them, or the
 * whole history when it is shorter), or zero after any non-zero sync.
 *
 * @param median the median of the previous syncs' rows, null when there were none
 * @param threshold the fewest rows that keep the promise
 */
record VolumeVerdict(long rows, Long median, long threshold) {
    /** Fewer previous syncs than this say too little for a median to judge by. */
    static final int MIN_SAMPLES = 3;

    static VolumeVerdict of(Volume v, List<Long> previous, long rows) {
        Long median = previous.isEmpty() ? null : median(previous);
        long threshold = v.minRows() == null ? 0 : v.minRows();
        if (median != null && previous.size() >= Math.min(MIN_SAMPLES, v.history())) {
            threshold = Math.max(threshold, (long) Math.ceil(v.fraction() * median));
        }
        if (previous.stream().anyMatch(r -> r > 0)) {
            threshold = Math.max(threshold, 1); // zero after data always is an anomaly
        }
        return new VolumeVerdict(rows, median, threshold);
    }

    boolean anomaly() {
        return rows < threshold;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
