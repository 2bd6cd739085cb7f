package io.backbus.scheduler.domain;

import io.backbus.contracts.BackupStage;
import io.backbus.contracts.FailureStage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves runs through their states as the other services report progress, and reads them. An event for a run
 * this scheduler does not know, or one that would move a run backwards, is logged and skipped: it is not an
 * error, so it is neither retried nor dead-lettered.
 */
@Service
public class RunTracker {

    private static final Logger log = LoggerFactory.getLogger(RunTracker.class);
    static final int MAX_LISTED = 100;

    private final RunStore runs;
    private final RestoreTests restoreTests;
    private final Clock clock;

    public RunTracker(RunStore runs, RestoreTests restoreTests, Clock clock) {
        this.runs = runs;
        this.restoreTests = restoreTests;
        this.clock = clock;
    }

    /** The agent staged the run's artifact of {@code sizeBytes}. */
    @Transactional
    public void artifactReady(UUID runId, long sizeBytes, Instant at) {
        move(runId, RunState.DUMPED, "ArtifactReady", run -> run.dumped(sizeBytes, orNow(at), PlanService.now(clock)));
    }

    /**
     * The uploader stored the run's artifact as {@code backup}. A run that moves to STORED counts towards its
     * plan's "after every N backups" restore test, which is requested in this same transaction.
     */
    @Transactional
    public void stored(CatalogBackup backup) {
        move(backup.runId(), RunState.STORED, "Stored",
                run -> run.stored(backup.objectKey(), backup.backupId(), backup.ciphertextSize(),
                        orNow(backup.storedAt()), PlanService.now(clock)))
                .ifPresent(run -> restoreTests.backupStored(run, backup));
    }

    /** A restore test proved the run's backup restorable. */
    @Transactional
    public void verified(UUID runId, Instant at) {
        move(runId, RunState.VERIFIED, "RestoreVerified", run -> run.verified(at, PlanService.now(clock)));
    }

    /** A stage failed the run. */
    @Transactional
    public void failed(UUID runId, FailureStage stage, String reason, Instant at) {
        move(runId, RunState.FAILED, "BackupFailed",
                run -> run.failed(stage, reason, orNow(at), PlanService.now(clock)));
    }

    /**
     * Progress telemetry: raises the run's byte counts (duplicates and reordering are harmless, only maxima are
     * kept). A run already STORED, VERIFIED or FAILED, or unknown, is left alone.
     */
    public void progress(UUID runId, BackupStage stage, long bytes, long totalBytes, Instant at) {
        if (!runs.raiseProgress(runId, stage, bytes, totalBytes, orNow(at))) {
            log.debug("Ignoring {} progress of run {}: unknown or finished", stage, runId);
        }
    }

    public RunProgress progressOf(UUID runId) {
        return runs.progressOf(List.of(runId)).getOrDefault(runId, RunProgress.NONE);
    }

    /** The progress of each of {@code runs} (absent when none was reported). */
    public Map<UUID, RunProgress> progressOf(List<Run> listed) {
        return runs.progressOf(listed.stream().map(Run::id).toList());
    }

    public Run get(UUID id) {
        return runs.find(id).orElseThrow(() -> NotFoundException.run(id));
    }

    /** A plan's newest runs (or all plans' when {@code planId} is null), at most 100. */
    public List<Run> newest(UUID planId) {
        return planId == null ? runs.newest(MAX_LISTED) : runs.byPlan(planId, MAX_LISTED);
    }

    /** Applies the transition if the run exists and may move; returns the moved run. */
    private Optional<Run> move(UUID runId, RunState next, String event, Function<Run, Run> transition) {
        Optional<Run> found = runs.lock(runId);
        if (found.isEmpty()) {
            log.warn("Skipping {} for unknown run {}", event, runId);
            return Optional.empty();
        }
        Run run = found.get();
        if (!run.canMoveTo(next)) {
            log.info("Ignoring {} for run {}: it is {} already and cannot become {}", event, runId, run.state(), next);
            return Optional.empty();
        }
        Run moved = transition.apply(run);
        runs.update(moved);
        log.info("Run {} {} -> {}", runId, run.state(), next);
        return Optional.of(moved);
    }

    private Instant orNow(Instant at) {
        return at != null ? at : PlanService.now(clock);
    }
}
