package io.backbus.scheduler.domain;

import io.backbus.contracts.FailureStage;
import java.time.Instant;
import java.util.UUID;

/**
 * One attempt at backing up one slot of a plan, and how far it got. Transitions return a new run; whether a
 * transition is allowed is {@link RunState#canMoveTo}'s call.
 *
 * @param scheduledFor the cron slot, or the time of a manual request
 * @param updatedAt    when the run last changed state (the stall timeout counts from here)
 * @param sizeBytes    artifact size once dumped, ciphertext size once stored
 * @param verifiedAt   when a restore test proved the run's backup restorable
 */
public record Run(UUID id, UUID planId, String target, String agentId, Instant scheduledFor, Trigger trigger,
        int attempt, RunState state, FailureStage failureStage, String failureReason, String objectKey,
        UUID backupId, Long sizeBytes, Instant requestedAt, Instant dumpedAt, Instant storedAt, Instant failedAt,
        Instant verifiedAt, Instant updatedAt) {

    /** A new first attempt at a plan's slot. */
    public static Run requested(Plan plan, Trigger trigger, Instant scheduledFor, Instant now) {
        return new Run(UUID.randomUUID(), plan.id(), plan.target(), plan.agentId(), scheduledFor, trigger, 1,
                RunState.REQUESTED, null, null, null, null, null, now, null, null, null, null, now);
    }

    public boolean canMoveTo(RunState next) {
        return state.canMoveTo(next, failureStage);
    }

    /** The agent staged the artifact. */
    public Run dumped(long artifactSize, Instant at, Instant now) {
        return new Run(id, planId, target, agentId, scheduledFor, trigger, attempt, RunState.DUMPED, failureStage,
                failureReason, objectKey, backupId, artifactSize, requestedAt, at, storedAt, failedAt, verifiedAt,
                now);
    }

    /** The uploader stored the encrypted artifact. */
    public Run stored(String key, UUID backup, long ciphertextSize, Instant at, Instant now) {
        return new Run(id, planId, target, agentId, scheduledFor, trigger, attempt, RunState.STORED, failureStage,
                failureReason, key, backup, ciphertextSize, requestedAt, dumpedAt, at, failedAt, verifiedAt,
                now);
    }

    /** A stage (or the scheduler itself) failed the run. */
    public Run failed(FailureStage stage, String reason, Instant at, Instant now) {
        return new Run(id, planId, target, agentId, scheduledFor, trigger, attempt, RunState.FAILED, stage, reason,
                objectKey, backupId, sizeBytes, requestedAt, dumpedAt, storedAt, at, verifiedAt, now);
    }

    /** A restore test proved the run's backup restorable. */
    public Run verified(Instant at, Instant now) {
        return new Run(id, planId, target, agentId, scheduledFor, trigger, attempt, RunState.VERIFIED, failureStage,
                failureReason, objectKey, backupId, sizeBytes, requestedAt, dumpedAt, storedAt, failedAt, at, now);
    }
}
