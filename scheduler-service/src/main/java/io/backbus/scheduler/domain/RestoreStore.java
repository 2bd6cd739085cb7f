package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreStage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where restores are kept. */
public interface RestoreStore {

    /**
     * Stores a new restore.
     *
     * @return false, storing nothing, when a restore test of the same plan and cron slot exists already
     */
    boolean insert(Restore restore);

    Optional<Restore> find(UUID id);

    /** Finds and locks a restore for the current transaction, so concurrent events for it apply one after another. */
    Optional<Restore> lock(UUID id);

    /** Locks the oldest PENDING restore test, skipping those another replica is resolving. */
    Optional<Restore> lockOldestPending();

    /**
     * Locks up to {@code limit} unfinished restores that have not changed state since before {@code cutoff},
     * skipping restores another replica has locked.
     */
    List<Restore> lockStalled(Instant cutoff, int limit);

    /** Writes everything but the id, purpose, plan and progress of a restore. */
    void update(Restore restore);

    /** A plan's restore tests, newest first. */
    List<Restore> byPlan(UUID planId, int limit);

    /** A plan's most recently finished restore test. */
    Optional<Restore> newestFinished(UUID planId);

    /**
     * Raises the progress of an unfinished restore: a later stage replaces an earlier one, within a stage the
     * larger count wins, so duplicated or reordered reports never move it back.
     *
     * @param totalBytes units in all, or -1 when unknown
     * @return false when there is no such unfinished restore
     */
    boolean raiseProgress(UUID restoreId, RestoreStage stage, long bytes, long totalBytes, Instant at);

    RestoreProgressState progressOf(UUID restoreId);
}
