package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A restore failed. {@code reason} is meant for an operator, never holds a secret, and says whether the
 * destination was written to.
 *
 * @param restoreId          the restore
 * @param backupId           the backup, or null when none could be chosen
 * @param planId             the plan of a restore test, or null
 * @param purpose            manual restore or restore test
 * @param target             the target the backup was taken of
 * @param destination        where it was to be restored
 * @param stage              where it failed
 * @param reason             why, in words an operator can act on
 * @param destinationTouched whether anything was written to the destination database (a partial restore may be
 *                           left there; re-run with clean to replace it)
 * @param failedAt           when it failed
 */
public record RestoreFailed(UUID restoreId, UUID backupId, UUID planId, RestorePurpose purpose, String target,
        RestoreDestination destination, RestoreStage stage, String reason, boolean destinationTouched,
        Instant failedAt) {
}
