package io.backbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures the benchmarks print: medians and nearest-rank percentiles. */
class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3, 1, 2))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void percentileIsTheNearestRank() {
        List<Integer> values = List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);

        assertThat(Stats.percentile(values, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(values, 99)).isEqualTo(100.0);
        assertThat(Stats.percentile(values, 1)).isEqualTo(10.0);
        assertThat(Stats.max(values)).isEqualTo(100.0);
    }
}
