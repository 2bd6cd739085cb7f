package io.backbus.notifier.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An alert and the state of its delivery.
 *
 * @param id            also sent as {@code X-Backbus-Alert-Id} so receivers can de-duplicate redeliveries
 * @param dedupKey      what alerts of the same kind about the same target share ({@code <kind>:<target>})
 * @param runId         the backup run it is about, if any
 * @param stage         the failing stage, if any
 * @param attempts      delivery attempts made so far
 * @param nextAttemptAt when it is next due, while PENDING
 * @param lastError     why the last attempt failed ("HTTP 500", a connection error), never a secret
 * @param restore       what an alert about a restore adds (restore id, plan, RTO, destination); null otherwise
 */
public record Alert(UUID id, String dedupKey, AlertKind kind, Severity severity, String target, UUID runId,
        String stage, String reason, String agentId, Instant occurredAt, Instant createdAt, AlertStatus status,
        int attempts, Instant nextAttemptAt, String lastError, Instant deliveredAt, RestoreDetails restore) {

    static String dedupKey(AlertKind kind, String target) {
        return kind.wireName() + ":" + target;
    }

    /** What the alert is about, for log lines: {@code run <id>}, {@code restore <id>} or {@code target <name>}. */
    public String subject() {
        if (restore != null) {
            return "restore " + restore.restoreId();
        }
        return runId != null ? "run " + runId : "target " + target;
    }
}
