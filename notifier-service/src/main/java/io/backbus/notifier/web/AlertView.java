package io.backbus.notifier.web;

import io.backbus.contracts.RestoreDestination;
import io.backbus.notifier.domain.Alert;
import io.backbus.notifier.domain.RestoreDetails;
import java.time.Instant;
import java.util.UUID;

/**
 * An alert and its delivery state as the REST API shows it. The restore fields ({@code restoreId} …
 * {@code destination}) are null for alerts about backups; {@code runId} is null for alerts about restores.
 */
record AlertView(UUID alertId, String kind, String severity, String target, UUID runId, String stage, String reason,
        String agentId, Instant occurredAt, Instant createdAt, String status, int attempts, Instant nextAttemptAt,
        String lastError, Instant deliveredAt, String dedupKey, UUID restoreId, UUID backupId, UUID planId,
        Long rtoMillis, Long rtoTargetMillis, Boolean destinationTouched, RestoreDestination destination) {

    static AlertView of(Alert a) {
        RestoreDetails r = a.restore();
        return new AlertView(a.id(), a.kind().wireName(), a.severity().wireName(), a.target(), a.runId(), a.stage(),
                a.reason(), a.agentId(), a.occurredAt(), a.createdAt(), a.status().name(), a.attempts(),
                a.nextAttemptAt(), a.lastError(), a.deliveredAt(), a.dedupKey(),
                r == null ? null : r.restoreId(), r == null ? null : r.backupId(), r == null ? null : r.planId(),
                r == null ? null : r.rtoMillis(), r == null ? null : r.rtoTargetMillis(),
                r == null ? null : r.destinationTouched(), r == null ? null : r.destination());
    }
}
