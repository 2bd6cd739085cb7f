package io.backbus.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationSettingTest {

    @Test
    void keepsAPositiveValueAndFallsBackWhenUnset() {
        assertThat(DurationSetting.positive("backbus.x.tick", Duration.ofMillis(1), Duration.ofHours(1)))
                .isEqualTo(Duration.ofMillis(1));
        assertThat(DurationSetting.positive("backbus.x.tick", null, Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesZeroAndNegativeNamingTheProperty() {
        assertThatThrownBy(() -> DurationSetting.positive("backbus.x.tick", Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backbus.x.tick must be positive but is PT0S");
        assertThatThrownBy(() -> DurationSetting.positive("backbus.x.tick", Duration.ofSeconds(-1), null))
                .hasMessage("backbus.x.tick must be positive but is PT-1S");
    }
}
