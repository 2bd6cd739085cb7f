package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StalledRunDetectorTest {

    @Test
    void timeoutsReadAsOperatorsWriteThem() {
        assertThat(StalledRunDetector.humanReadable(Duration.ofHours(6))).isEqualTo("6h");
        assertThat(StalledRunDetector.humanReadable(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(StalledRunDetector.humanReadable(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(StalledRunDetector.humanReadable(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
