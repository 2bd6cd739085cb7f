package io.backbus.notifier.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** The delivery life-cycle of alerts: which are due, and what a successful or failed attempt means. */
@Service
public class AlertDelivery {

    private static final Logger log = LoggerFactory.getLogger(AlertDelivery.class);

    private final AlertRepository alerts;
    private final DeliveryPolicy policy;
    private final Clock clock;

    public AlertDelivery(AlertRepository alerts, DeliveryPolicy policy, Clock clock) {
        this.alerts = alerts;
        this.policy = policy;
        this.clock = clock;
    }

    /** Claims alerts due now for this replica, for as long as {@code lease}. */
    public List<Alert> claimDue(int limit, Duration lease) {
        Instant now = Instant.now(clock);
        return alerts.claimDue(now, now.plus(lease), limit);
    }

    public void delivered(Alert alert, String channel) {
        int attempts = alert.attempts() + 1;
        alerts.markDelivered(alert.id(), attempts, Instant.now(clock));
        log.info("Delivered alert {} ({} for target {}) to {} on attempt {}", alert.id(), alert.kind().wireName(),
                alert.target(), channel, attempts);
    }

    public void failed(Alert alert, String channel, String error) {
        int attempts = alert.attempts() + 1;
        if (policy.givesUpAfter(attempts)) {
            alerts.markGaveUp(alert.id(), attempts, error);
            log.error("Gave up delivering {} alert {} ({} for target {}, {}) to {} after {} attempts; last error: {}",
                    alert.severity().wireName(), alert.id(), alert.kind().wireName(), alert.target(), alert.subject(),
                    channel, attempts, error);
            return;
        }
        Instant next = policy.nextAttemptAfter(attempts, Instant.now(clock));
        alerts.markRetry(alert.id(), attempts, next, error);
        log.warn("Delivering alert {} to {} failed (attempt {} of {}): {}; next attempt at {}", alert.id(), channel,
                attempts, policy.maxAttempts(), error, next);
    }

    public long pending() {
        return alerts.countPending();
    }
}
