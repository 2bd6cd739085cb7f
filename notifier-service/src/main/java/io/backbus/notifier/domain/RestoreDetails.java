package io.backbus.notifier.domain;

import io.backbus.contracts.RestoreDestination;
import java.util.UUID;

/**
 * What an alert about a restore carries beyond the common fields. Absent ({@code null} on {@link Alert}) for
 * alerts about backups.
 *
 * @param restoreId          the restore (or restore test) that failed
 * @param backupId           the backup it restored, or null when none could be chosen
 * @param planId             the plan of a restore test, or null for a manual restore
 * @param rtoMillis          the measured recovery time, or null when the restore did not finish
 * @param rtoTargetMillis    the plan's RTO target, or null
 * @param destinationTouched whether the destination database was written to (a partial restore may be left), or
 *                           null when not reported (restore tests restore into a scratch database)
 * @param destination        where it was restored to (names only, no credentials), or null
 */
public record RestoreDetails(UUID restoreId, UUID backupId, UUID planId, Long rtoMillis, Long rtoTargetMillis,
        Boolean destinationTouched, RestoreDestination destination) {
}
