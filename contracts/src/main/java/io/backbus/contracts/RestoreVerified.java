package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A plan's restore test passed: the backup restored into a scratch database, verified, within the plan's RTO
 * target. The backup is proven restorable.
 *
 * @param restoreId       the restore test
 * @param planId          the plan
 * @param backupId        the backup proven
 * @param target          its target
 * @param destination     the scratch database used
 * @param rtoMillis       measured recovery time: from the request to the verified restore
 * @param rtoTargetMillis the plan's RTO target, or null when it has none
 * @param tablesChecked   tables verified
 * @param rowsChecked     rows verified
 * @param verifiedAt      when the result was recorded
 */
public record RestoreVerified(UUID restoreId, UUID planId, UUID backupId, String target,
        RestoreDestination destination, long rtoMillis, Long rtoTargetMillis, int tablesChecked, long rowsChecked,
        Instant verifiedAt) {
}
