package io.backbus.notifier.domain;

import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestorePurpose;
import io.backbus.contracts.RestoreTestFailed;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Raises alerts about restores: every failed restore test, and every failed manual restore. A failed restore
 * <em>test</em> also arrives as a RestoreFailed (purpose TEST); it is alerted once, from the scheduler's
 * RestoreTestFailed, which also covers failures that are not restore failures (verification, RTO).
 */
@Service
public class RestoreAlerts {

    private static final Logger log = LoggerFactory.getLogger(RestoreAlerts.class);

    private final AlertRepository alerts;
    private final Clock clock;

    public RestoreAlerts(AlertRepository alerts, Clock clock) {
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Stores a PENDING alert about the failed restore test, due for delivery now. */
    public Alert raise(RestoreTestFailed failed) {
        RestoreDetails restore = new RestoreDetails(failed.restoreId(), failed.backupId(), failed.planId(),
                failed.rtoMillis(), failed.rtoTargetMillis(), null, null);
        Alert alert = add(AlertKind.RESTORE_TEST_FAILED, failed.target(), failed.stage().name(), failed.reason(),
                failed.failedAt(), restore);
        log.warn("Raised {} alert {} {}: restore test {} of target {} (plan {}, backup {}) failed at stage {}: {}",
                alert.severity().wireName(), alert.id(), alert.kind().wireName(), failed.restoreId(),
                alert.target(), failed.planId(), failed.backupId(), alert.stage(), alert.reason());
        return alert;
    }

    /**
     * Stores a PENDING alert about a failed manual restore, due now. A failed restore test raises nothing here
     * (it is alerted once, through RestoreTestFailed).
     *
     * @return the alert, or empty for a restore test
     */
    public Optional<Alert> raise(RestoreFailed failed) {
        if (failed.purpose() != RestorePurpose.MANUAL) {
            log.info("Restore test {} of target {} failed at stage {}; alerted through its RestoreTestFailed",
                    failed.restoreId(), failed.target(), failed.stage());
            return Optional.empty();
        }
        RestoreDetails restore = new RestoreDetails(failed.restoreId(), failed.backupId(), failed.planId(), null,
                null, failed.destinationTouched(), failed.destination());
        Alert alert = add(AlertKind.RESTORE_FAILED, failed.target(), failed.stage().name(), failed.reason(),
                failed.failedAt(), restore);
        log.warn("Raised {} alert {} {}: restore {} of target {} (backup {}) failed at stage {}, destination {}: {}",
                alert.severity().wireName(), alert.id(), alert.kind().wireName(), failed.restoreId(),
                alert.target(), failed.backupId(), alert.stage(),
                failed.destinationTouched() ? "touched" : "untouched", alert.reason());
        return Optional.of(alert);
    }

    private Alert add(AlertKind kind, String target, String stage, String reason, Instant occurredAt,
            RestoreDetails restore) {
        Instant now = Instant.now(clock);
        Alert alert = new Alert(UUID.randomUUID(), Alert.dedupKey(kind, target), kind, kind.severity(), target, null,
                stage, reason, null, occurredAt, now, AlertStatus.PENDING, 0, now, null, null, restore);
        alerts.add(alert);
        return alert;
    }
}
