package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The destination agent restored a backup and verified the result. A restore whose verification failed is still
 * completed; {@code verification.passed} says whether it can be trusted.
 *
 * @param restoreId          the restore
 * @param backupId           the backup restored
 * @param planId             the plan of a restore test, or null
 * @param purpose            manual restore or restore test
 * @param target             the target the backup was taken of
 * @param destination        where it was restored
 * @param startedAt          when the agent began (download included)
 * @param finishedAt         when verification finished
 * @param durationMillis     agent-side duration: download, pg_restore and verification
 * @param verification       the verification result
 * @param destinationDropped whether the destination database was dropped afterwards (scratch databases)
 */
public record RestoreCompleted(UUID restoreId, UUID backupId, UUID planId, RestorePurpose purpose, String target,
        RestoreDestination destination, Instant startedAt, Instant finishedAt, long durationMillis,
        RestoreVerification verification, boolean destinationDropped) {
}
