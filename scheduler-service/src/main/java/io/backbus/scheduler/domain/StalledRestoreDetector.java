package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreStage;
import io.backbus.scheduler.config.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fails restores that sat in PENDING, REQUESTED or READY longer than {@code backbus.scheduler.restore-timeout}
 * (stage REQUEST, reason "stalled ..."), and says so: RestoreFailed for a restore that was requested, plus
 * RestoreTestFailed for a restore test. Replicas share the work with {@code FOR UPDATE SKIP LOCKED}. Like a run's,
 * a restore's stall timeout counts from its last state change.
 */
@Service
public class StalledRestoreDetector {

    private static final Logger log = LoggerFactory.getLogger(StalledRestoreDetector.class);
    /** The most restores failed in one transaction. */
    public static final int BATCH = 100;

    private final RestoreStore restores;
    private final RestoreEvents events;
    private final Clock clock;
    private final Duration timeout;

    public StalledRestoreDetector(RestoreStore restores, RestoreEvents events, Clock clock,
            SchedulerProperties properties) {
        this.restores = restores;
        this.events = events;
        this.clock = clock;
        this.timeout = properties.restoreTimeout();
    }

    /**
     * Fails up to {@link #BATCH} stalled restores in one transaction.
     *
     * @return how many restores it failed
     */
    @Transactional
    public int failStalledRestores() {
        Instant now = PlanService.now(clock);
        List<Restore> stalled = restores.lockStalled(now.minus(timeout), BATCH);
        for (Restore restore : stalled) {
            String reason = reason(restore, timeout);
            // READY: the agent may have begun writing; say so rather than claim the destination is untouched
            boolean touched = restore.state() == RestoreState.READY;
            Restore failed = restore.failed(RestoreStage.REQUEST, reason, touched, now);
            restores.update(failed);
            if (restore.state() != RestoreState.PENDING) {
                events.failed(failed);
            }
            if (failed.isTest()) {
                events.testFailed(failed);
            }
            log.warn("Restore {} failed: {}", restore.id(), reason);
        }
        return stalled.size();
    }

    static String reason(Restore restore, Duration timeout) {
        String stalled = "stalled in " + restore.state() + " for more than "
                + StalledRunDetector.humanReadable(timeout);
        return switch (restore.state()) {
            case PENDING -> stalled + ": the backup to test could not be resolved from the catalog";
            case REQUESTED -> stalled + ": the uploader never reported RestoreArtifactReady or RestoreFailed;"
                    + " nothing was written to the destination";
            default -> stalled + ": the destination agent never reported RestoreCompleted or RestoreFailed;"
                    + " database '" + restore.destination().database() + "' may hold a partial restore";
        };
    }
}
