package io.backbus.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerPropertiesTest {

    @Test
    void missingSettingsTakeTheirDefaults() {
        SchedulerProperties properties = new SchedulerProperties(null, null, null, null, null, null, null);

        assertThat(properties.tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.runTimeout()).isEqualTo(Duration.ofHours(6));
        assertThat(properties.stallCheck()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.catalogUrl()).isEqualTo(URI.create("http://localhost:8084"));
        assertThat(properties.catalogConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.catalogReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.restoreTimeout()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aZeroOrNegativeSettingIsRefusedByName() {
        assertThatThrownBy(() -> new SchedulerProperties(Duration.ZERO, null, null, null, null, null, null))
                .hasMessageContaining("backbus.scheduler.tick");
        assertThatThrownBy(() -> new SchedulerProperties(null, Duration.ofHours(-1), null, null, null, null, null))
                .hasMessageContaining("backbus.scheduler.run-timeout");
        assertThatThrownBy(() -> new SchedulerProperties(null, null, null, null, null, Duration.ZERO, null))
                .hasMessageContaining("backbus.scheduler.catalog-read-timeout");
        assertThatThrownBy(() -> new SchedulerProperties(null, null, null, null, null, null, Duration.ofHours(-6)))
                .hasMessageContaining("backbus.scheduler.restore-timeout");
    }

    @Test
    void theCatalogUrlMustBeAnAbsoluteHttpUrlWithoutCredentials() {
        assertThat(new SchedulerProperties(null, null, null, URI.create("https://retention.internal:8443/api"),
                null, null, null).catalogUrl()).hasToString("https://retention.internal:8443/api");
        assertThatThrownBy(() -> new SchedulerProperties(null, null, null, URI.create("retention:8084"), null, null,
                null)).hasMessageContaining("backbus.scheduler.catalog-url");
        assertThatThrownBy(() -> new SchedulerProperties(null, null, null, URI.create("ftp://retention"), null, null,
                null)).hasMessageContaining("backbus.scheduler.catalog-url");
        assertThatThrownBy(() -> new SchedulerProperties(null, null, null, URI.create("http://ops:s3cret@retention"),
                null, null, null)).hasMessageContaining("backbus.scheduler.catalog-url")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theCatalogTokenIsPrintableAndNeverShown() {
        SchedulerProperties withToken = new SchedulerProperties(null, null, null, null, null, null, null, "s3cret-t0ken");
        assertThat(withToken.catalogToken()).isEqualTo("s3cret-t0ken");
        assertThat(withToken.toString()).doesNotContain("s3cret-t0ken").contains("catalogToken=(set)");
        assertThat(new SchedulerProperties(null, null, null, null, null, null, null, " ").catalogToken()).isNull();
        assertThatThrownBy(() -> new SchedulerProperties(null, null, null, null, null, null, null, "a b\r\nX: y"))
                .hasMessageContaining("backbus.scheduler.catalog-token").hasMessageNotContaining("X: y");
    }
}
