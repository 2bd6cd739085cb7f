package io.backbus.uploader.domain;

import io.backbus.contracts.RestoreRequested;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Restores waiting for a cold-tier object, polled by due time. */
public interface RestoreThawStore {

    /**
     * Records a pending thaw unless the restore has one already (then that one carries on).
     *
     * @return true if recorded
     */
    boolean insertIfAbsent(RestoreRequested r, Instant now, Instant nextCheckAt, Instant deadline);

    /**
     * Claims the thaw due first (skipping those another replica holds) and moves its next check to
     * {@code leaseUntil}, so that if this replica dies mid-check another takes it over then.
     */
    Optional<PendingThaw> claimDue(Instant now, Instant leaseUntil);

    /** Sets the next check of a claimed thaw and releases the claim; false if the claim was lost. */
    boolean reschedule(PendingThaw thaw, Instant nextCheckAt);

    /** Forgets the pending thaw of a restore answered otherwise (requested again once the object was thawed). */
    void delete(UUID restoreId);

    /** Removes a claimed thaw whose restore is decided; false if the claim was lost (another replica decides). */
    boolean finish(PendingThaw thaw);
}
