package io.backbus.retention.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * The latest proof that a backup is restorable: a restore test restored it, verified it and met its plan's RTO
 * target.
 *
 * @param verifiedAt when the scheduler recorded the passing test
 * @param rtoMillis  the measured recovery time of that test
 * @param restoreId  the restore test
 */
public record Verification(Instant verifiedAt, long rtoMillis, UUID restoreId) {
}
