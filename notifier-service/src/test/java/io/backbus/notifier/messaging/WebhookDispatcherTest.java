package io.backbus.notifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.notifier.config.NotifierProperties;
import io.backbus.notifier.domain.Alert;
import io.backbus.notifier.domain.AlertDelivery;
import io.backbus.notifier.domain.AlertRepository;
import io.backbus.notifier.domain.AlertStatus;
import io.backbus.notifier.domain.DeliveryPolicy;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class WebhookDispatcherTest {

    @Test
    void withoutAWebhookUrlLeavesAlertsPendingForLater() {
        AtomicInteger claims = new AtomicInteger();
        AlertRepository repository = new PendingOnly(claims);
        NotifierProperties unconfigured = new NotifierProperties(null, null);
        var delivery = new AlertDelivery(repository, new DeliveryPolicy(8, Duration.ofSeconds(1),
                Duration.ofMinutes(5)), Clock.systemUTC());
        var sender = new WebhookSender(HttpClient.newHttpClient(), unconfigured, JsonMapper.builder().build());
        var dispatcher = new WebhookDispatcher(delivery, sender, unconfigured);

        assertThat(dispatcher.dispatchDue()).isZero();
        assertThat(claims).hasValue(0);
    }

    /** Three alerts pending; counts claims, which must not happen. */
    private record PendingOnly(AtomicInteger claims) implements AlertRepository {
        @Override
        public void add(Alert alert) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Alert> claimDue(Instant now, Instant leaseUntil, int limit) {
            claims.incrementAndGet();
            return List.of();
        }

        @Override
        public void markDelivered(UUID id, int attempts, Instant deliveredAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markRetry(UUID id, int attempts, Instant nextAttemptAt, String error) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markGaveUp(UUID id, int attempts, String error) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Alert> listNewestFirst(AlertStatus status, int limit) {
            return List.of();
        }

        @Override
        public long countPending() {
            return 3;
        }
    }
}
