package io.backbus.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and nearest-rank percentiles. */
final class Stats {

    static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    static double percentile(List<? extends Number> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double max(List<? extends Number> values) {
        return values.isEmpty() ? Double.NaN : sorted(values).get(values.size() - 1);
    }

    private static List<Double> sorted(List<? extends Number> values) {
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        return sorted;
    }

    private Stats() {
    }
}
