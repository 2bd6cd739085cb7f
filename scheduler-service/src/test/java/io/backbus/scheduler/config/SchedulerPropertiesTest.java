package io.backbus.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerPropertiesTest {

    @Test
    void missingSettingsTakeTheirDefaults() {
        SchedulerProperties properties = new SchedulerProperties(null, null, null);

        assertThat(properties.tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.runTimeout()).isEqualTo(Duration.ofHours(6));
        assertThat(properties.stallCheck()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aZeroOrNegativeSettingIsRefusedByName() {
        assertThatThrownBy(() -> new SchedulerProperties(Duration.ZERO, null, null))
                .hasMessageContaining("backbus.scheduler.tick");
        assertThatThrownBy(() -> new SchedulerProperties(null, Duration.ofHours(-1), null))
                .hasMessageContaining("backbus.scheduler.run-timeout");
    }
}
