package io.backbus.notifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void doublesFromTheInitialBackoffUpToTheCap() {
        DeliveryPolicy noJitter = new DeliveryPolicy(8, SECOND, FIVE_MINUTES, () -> 0.5);

        assertThat(noJitter.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(noJitter.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(noJitter.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(noJitter.backoff(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(noJitter.backoff(10)).isEqualTo(FIVE_MINUTES);
        assertThat(noJitter.backoff(500)).isEqualTo(FIVE_MINUTES);
    }

    @Test
    void jittersByAFifthEitherWayButNeverAboveTheCap() {
        assertThat(new DeliveryPolicy(8, SECOND, FIVE_MINUTES, () -> 0.0).backoff(2)).isEqualTo(Duration.ofMillis(1600));
        assertThat(new DeliveryPolicy(8, SECOND, FIVE_MINUTES, () -> 0.999_999).backoff(2)).isEqualTo(Duration.ofMillis(2400));
        assertThat(new DeliveryPolicy(8, SECOND, FIVE_MINUTES, () -> 0.999_999).backoff(20)).isEqualTo(FIVE_MINUTES);
    }

    @Test
    void givesUpAfterMaxAttempts() {
        DeliveryPolicy policy = new DeliveryPolicy(3, SECOND, FIVE_MINUTES);

        assertThat(policy.givesUpAfter(2)).isFalse();
        assertThat(policy.givesUpAfter(3)).isTrue();
    }

    @Test
    void schedulesTheNextAttemptAfterTheBackoff() {
        Instant now = Instant.parse("2026-11-23T02:00:00Z");

        assertThat(new DeliveryPolicy(8, SECOND, FIVE_MINUTES, () -> 0.5).nextAttemptAfter(3, now))
                .isEqualTo(now.plusSeconds(4));
    }
}
