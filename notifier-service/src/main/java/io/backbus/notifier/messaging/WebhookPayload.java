package io.backbus.notifier.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.backbus.contracts.RestoreDestination;
import io.backbus.notifier.domain.Alert;
import io.backbus.notifier.domain.RestoreDetails;
import java.time.Instant;
import java.util.UUID;

/**
 * The JSON body POSTed to the webhook. The fields up to {@code occurredAt} are always sent (null when they do not
 * apply, e.g. {@code runId} of a restore alert); the restore fields after them only when present, so the body of a
 * backup alert is unchanged.
 */
record WebhookPayload(UUID alertId, String kind, String severity, String target, UUID runId, String stage,
        String reason, String agentId, Instant occurredAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID restoreId,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID backupId,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID planId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long rtoMillis,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long rtoTargetMillis,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean destinationTouched,
        @JsonInclude(JsonInclude.Include.NON_NULL) RestoreDestination destination) {

    static WebhookPayload of(Alert alert) {
        RestoreDetails r = alert.restore();
        return new WebhookPayload(alert.id(), alert.kind().wireName(), alert.severity().wireName(), alert.target(),
                alert.runId(), alert.stage(), alert.reason(), alert.agentId(), alert.occurredAt(),
                r == null ? null : r.restoreId(), r == null ? null : r.backupId(), r == null ? null : r.planId(),
                r == null ? null : r.rtoMillis(), r == null ? null : r.rtoTargetMillis(),
                r == null ? null : r.destinationTouched(), r == null ? null : r.destination());
    }
}
