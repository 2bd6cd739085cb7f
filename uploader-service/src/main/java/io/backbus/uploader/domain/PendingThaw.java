package io.backbus.uploader.domain;

import io.backbus.contracts.RestoreRequested;
import java.time.Instant;
import java.util.UUID;

/**
 * A restore waiting for its cold-tier object, claimed by this replica for one check.
 *
 * @param request  the restore
 * @param deadline when the thaw times out
 * @param claim    this replica's claim; only its holder may reschedule or finish the row
 */
public record PendingThaw(RestoreRequested request, Instant deadline, UUID claim) {
}
