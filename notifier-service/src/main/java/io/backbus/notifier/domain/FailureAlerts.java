package io.backbus.notifier.domain;

import io.backbus.contracts.BackupFailed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Raises an alert for every failed backup run. Deduplication per (target, kind), throttling and resolution by
 * the next success come later; the dedup key is recorded already.
 */
@Service
public class FailureAlerts {

    private static final Logger log = LoggerFactory.getLogger(FailureAlerts.class);

    private final AlertRepository alerts;
    private final Clock clock;

    public FailureAlerts(AlertRepository alerts, Clock clock) {
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Stores a PENDING alert about the failed run, due for delivery now. */
    public Alert raise(BackupFailed failed) {
        AlertKind kind = AlertKind.BACKUP_FAILED;
        Instant now = Instant.now(clock);
        Alert alert = new Alert(UUID.randomUUID(), Alert.dedupKey(kind, failed.target()), kind, kind.severity(),
                failed.target(), failed.runId(), failed.stage().name(), failed.reason(), failed.agentId(),
                failed.failedAt(), now, AlertStatus.PENDING, 0, now, null, null, null);
        alerts.add(alert);
        log.warn("Raised {} alert {} {}: target {} run {} failed at stage {}: {}", alert.severity().wireName(),
                alert.id(), kind.wireName(), alert.target(), alert.runId(), alert.stage(), alert.reason());
        return alert;
    }

    public List<Alert> list(AlertStatus status, int limit) {
        return alerts.listNewestFirst(status, limit);
    }
}
