package io.backbus.notifier.web;

import io.backbus.notifier.domain.Alert;
import java.time.Instant;
import java.util.UUID;

/** An alert and its delivery state as the REST API shows it. */
record AlertView(UUID alertId, String kind, String severity, String target, UUID runId, String stage, String reason,
        String agentId, Instant occurredAt, Instant createdAt, String status, int attempts, Instant nextAttemptAt,
        String lastError, Instant deliveredAt, String dedupKey) {

    static AlertView of(Alert a) {
        return new AlertView(a.id(), a.kind().wireName(), a.severity().wireName(), a.target(), a.runId(), a.stage(),
                a.reason(), a.agentId(), a.occurredAt(), a.createdAt(), a.status().name(), a.attempts(),
                a.nextAttemptAt(), a.lastError(), a.deliveredAt(), a.dedupKey());
    }
}
