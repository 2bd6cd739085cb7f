package io.backbus.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NotifierPropertiesTest {

    @Test
    void defaultsWhenNothingIsSet() {
        NotifierProperties properties = new NotifierProperties(null, null);

        assertThat(properties.webhook().configured()).isFalse();
        assertThat(properties.webhook().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.delivery().maxAttempts()).isEqualTo(8);
        assertThat(properties.delivery().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.delivery().maxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.delivery().pollInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsBadValuesNamingTheProperty() {
        assertThatThrownBy(() -> new NotifierProperties.Webhook(URI.create("ftp://example.com/x"), null, null))
                .hasMessageContaining("backbus.notifier.webhook.url");
        assertThatThrownBy(() -> new NotifierProperties.Delivery(0, null, null, null))
                .hasMessageContaining("backbus.notifier.delivery.max-attempts");
        assertThatThrownBy(() -> new NotifierProperties.Delivery(null, Duration.ZERO, null, null))
                .hasMessageContaining("backbus.notifier.delivery.initial-backoff");
    }

    @Test
    void neverShowsTheSecretOrTheUrlPath() {
        var webhook = new NotifierProperties.Webhook(URI.create("https://hooks.example.com/T000/B000/XXXX"),
                "s3cr3t", null);

        assertThat(webhook.toString()).doesNotContain("s3cr3t").doesNotContain("XXXX")
                .contains("https://hooks.example.com");
    }
}
