package io.backbus.notifier.messaging;

import io.backbus.notifier.domain.Alert;
import java.time.Instant;
import java.util.UUID;

/** The JSON body POSTed to the webhook. */
record WebhookPayload(UUID alertId, String kind, String severity, String target, UUID runId, String stage,
        String reason, String agentId, Instant occurredAt) {

    static WebhookPayload of(Alert alert) {
        return new WebhookPayload(alert.id(), alert.kind().wireName(), alert.severity().wireName(), alert.target(),
                alert.runId(), alert.stage(), alert.reason(), alert.agentId(), alert.occurredAt());
    }
}
