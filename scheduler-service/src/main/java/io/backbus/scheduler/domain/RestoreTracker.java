package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.RestoreVerification;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves restores through their states as the uploader and the destination agent report, measures the RTO, and
 * decides restore tests: in the transaction of the state change it publishes exactly one of RestoreVerified
 * (verification passed within the plan's RTO target; the backup's run becomes VERIFIED) or RestoreTestFailed.
 * An event for an unknown restore, or for a finished one, is logged and skipped: it is not an error, so it is
 * neither retried nor dead-lettered.
 */
@Service
public class RestoreTracker {

    private static final Logger log = LoggerFactory.getLogger(RestoreTracker.class);

    private final RestoreStore restores;
    private final RestoreEvents events;
    private final RunTracker runs;
    private final Clock clock;

    public RestoreTracker(RestoreStore restores, RestoreEvents events, RunTracker runs, Clock clock) {
        this.restores = restores;
        this.events = events;
        this.runs = runs;
        this.clock = clock;
    }

    /** The uploader checked the backup and serves it to the destination agent. */
    @Transactional
    public void artifactReady(UUID restoreId) {
        lockMovable(restoreId, RestoreState.READY, "RestoreArtifactReady")
                .ifPresent(restore -> save(restore, restore.ready(PlanService.now(clock))));
    }

    /**
     * The agent restored the backup and verified it. RTO is measured here, from the request to this receipt:
     * what an operator waiting for the restore experiences.
     */
    @Transactional
    public void completed(UUID restoreId, long durationMillis, RestoreVerification verification,
            boolean destinationDropped) {
        Optional<Restore> found = lockMovable(restoreId, RestoreState.VERIFIED, "RestoreCompleted");
        if (found.isEmpty()) {
            return;
        }
        Restore restore = found.get();
        Instant now = PlanService.now(clock);
        long rto = Math.max(0, Duration.between(restore.requestedAt(), now).toMillis());
        Restore done;
        if (!verification.passed()) {
            String summary = verification.summary() == null || verification.summary().isBlank()
                    ? "verification failed" : verification.summary();
            done = restore.completed(RestoreState.FAILED, RestoreStage.VERIFY, summary, rto, durationMillis,
                    verification, destinationDropped, now);
        } else if (restore.isTest() && restore.rtoTargetMillis() != null && rto > restore.rtoTargetMillis()) {
            done = restore.completed(RestoreState.FAILED, RestoreStage.RTO, rtoReason(rto, restore.rtoTargetMillis()),
                    rto, durationMillis, verification, destinationDropped, now);
        } else {
            done = restore.completed(RestoreState.VERIFIED, null, null, rto, durationMillis, verification,
                    destinationDropped, now);
        }
        save(restore, done);
        if (done.isTest()) {
            concludeTest(done, now);
        }
    }

    /** A stage failed the restore. */
    @Transactional
    public void failed(UUID restoreId, RestoreStage stage, String reason, boolean destinationTouched) {
        Optional<Restore> found = lockMovable(restoreId, RestoreState.FAILED, "RestoreFailed");
        if (found.isEmpty()) {
            return;
        }
        Restore restore = found.get();
        Instant now = PlanService.now(clock);
        Restore failed = restore.failed(stage, reason, destinationTouched, now);
        save(restore, failed);
        if (failed.isTest()) {
            concludeTest(failed, now);
        }
    }

    /**
     * Progress telemetry: raises the restore's progress (duplicates and reordering are harmless). A finished or
     * unknown restore is left alone.
     */
    public void progress(UUID restoreId, RestoreStage stage, long bytes, long totalBytes, Instant at) {
        if (!restores.raiseProgress(restoreId, stage, bytes, totalBytes, at != null ? at : PlanService.now(clock))) {
            log.debug("Ignoring {} progress of restore {}: unknown or finished", stage, restoreId);
        }
    }

    private void concludeTest(Restore test, Instant now) {
        if (test.state() == RestoreState.VERIFIED) {
            events.verified(test);
            if (test.backup() != null && test.backup().runId() != null) {
                runs.verified(test.backup().runId(), now);
            }
            log.info("Restore test {} of plan {} passed: backup {} verified in {} ms", test.id(), test.planId(),
                    test.backupId(), test.rtoMillis());
        } else {
            events.testFailed(test);
            log.warn("Restore test {} of plan {} failed at {}: {}", test.id(), test.planId(), test.stage(),
                    test.reason());
        }
    }

    private Optional<Restore> lockMovable(UUID restoreId, RestoreState next, String event) {
        Optional<Restore> found = restores.lock(restoreId);
        if (found.isEmpty()) {
            log.warn("Skipping {} for unknown restore {}", event, restoreId);
            return Optional.empty();
        }
        Restore restore = found.get();
        if (!restore.canMoveTo(next)) {
            log.info("Ignoring {} for restore {}: it is {} already and cannot become {}", event, restoreId,
                    restore.state(), next);
            return Optional.empty();
        }
        return found;
    }

    private void save(Restore before, Restore after) {
        restores.update(after);
        log.info("Restore {} {} -> {}{}", after.id(), before.state(), after.state(),
                after.stage() == null ? "" : " at " + after.stage() + ": " + after.reason());
    }

    /** "restore test took 712.4 s, over the plan's RTO target of 600 s". */
    static String rtoReason(long rtoMillis, long rtoTargetMillis) {
        return "restore test took " + seconds(rtoMillis) + " s, over the plan's RTO target of "
                + seconds(rtoTargetMillis) + " s";
    }

    /** Milliseconds as seconds, without trailing zeros: 712400 -> 712.4, 600000 -> 600, 1 -> 0.001. */
    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
}
