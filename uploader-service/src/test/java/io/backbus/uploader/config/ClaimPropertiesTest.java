package io.backbus.uploader.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClaimPropertiesTest {

    @Test
    void defaults() {
        ClaimProperties p = new ClaimProperties(null, null, null);

        assertThat(p.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.instanceName()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(p.renewInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.abandonedAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aBlankInstanceNameIsTheDefaultAndAGivenOneIsKept() {
        assertThat(new ClaimProperties(null, "  ", null).instanceName())
                .isEqualTo(ClaimProperties.defaultInstanceName());
        assertThat(new ClaimProperties(null, " uploader-1 ", null).instanceName()).isEqualTo("uploader-1");
    }

    @Test
    void aLeaseUnderOneSecondIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new ClaimProperties(Duration.ofMillis(999), null, null))
                .hasMessageContaining("backbus.uploader.claims.lease").hasMessageContaining("at least 1s");
        assertThatThrownBy(() -> new ClaimProperties(Duration.ofSeconds(-5), null, null))
                .hasMessageContaining("backbus.uploader.claims.lease");
    }

    @Test
    void aSweepIntervalMustBePositive() {
        assertThatThrownBy(() -> new ClaimProperties(null, null, Duration.ZERO))
                .hasMessageContaining("backbus.uploader.claims.sweep-interval");
    }

    @Test
    void anInstanceNameWithSpacesOrControlCharactersOrTooLongIsRefused() {
        assertThatThrownBy(() -> new ClaimProperties(null, "uploader 1", null))
                .hasMessageContaining("backbus.uploader.claims.instance-name");
        assertThatThrownBy(() -> new ClaimProperties(null, "uploader\n1", null))
                .hasMessageContaining("backbus.uploader.claims.instance-name");
        assertThatThrownBy(() -> new ClaimProperties(null, "u".repeat(201), null))
                .hasMessageContaining("backbus.uploader.claims.instance-name");
    }
}
