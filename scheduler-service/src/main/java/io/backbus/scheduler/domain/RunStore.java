package io.backbus.scheduler.domain;

import io.backbus.contracts.BackupStage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Where runs are kept. */
public interface RunStore {

    /**
     * Stores a new run.
     *
     * @return false, storing nothing, when a run for the same plan, slot and attempt exists already
     */
    boolean insert(Run run);

    Optional<Run> find(UUID id);

    /** Finds and locks a run for the current transaction, so concurrent events for it apply one after another. */
    Optional<Run> lock(UUID id);

    /** A plan's runs, newest first. */
    List<Run> byPlan(UUID planId, int limit);

    /** The newest runs of all plans. */
    List<Run> newest(int limit);

    /**
     * Locks up to {@code limit} in-flight runs that have not changed state since before {@code cutoff}, skipping
     * runs another replica has locked.
     */
    List<Run> lockStalled(Instant cutoff, int limit);

    /** Writes the state fields of a run. */
    void update(Run run);

    /**
     * Raises the progress of a run still in flight to {@code bytes} of {@code stage}: never
     * lowers it, and leaves a STORED, VERIFIED or FAILED run alone.
     *
     * @param totalBytes the size the stage works towards, or -1 when unknown
     * @return false when there is no such run in flight
     */
    boolean raiseProgress(UUID runId, BackupStage stage, long bytes, long totalBytes, Instant at);

    /** The progress of the given runs; runs without any are absent. */
    Map<UUID, RunProgress> progressOf(Collection<UUID> runIds);
}
