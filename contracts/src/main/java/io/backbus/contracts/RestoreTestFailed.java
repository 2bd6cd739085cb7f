package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A plan's restore test failed: the restore failed, its verification failed, or it was slower than the plan's RTO
 * target ({@link RestoreStage#RTO}). Raises a high-severity alert.
 *
 * @param restoreId       the restore test
 * @param planId          the plan
 * @param backupId        the backup tested, or null when the plan had no backup to test
 * @param target          the plan's target
 * @param stage           where it failed
 * @param reason          why, for an operator
 * @param rtoMillis       measured recovery time, or null when the restore did not finish
 * @param rtoTargetMillis the plan's RTO target, or null
 * @param failedAt        when the result was recorded
 */
public record RestoreTestFailed(UUID restoreId, UUID planId, UUID backupId, String target, RestoreStage stage,
        String reason, Long rtoMillis, Long rtoTargetMillis, Instant failedAt) {
}
