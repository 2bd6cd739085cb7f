package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreStage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Restore tests of plans: the "after every N backups" trigger (counted as runs move to STORED), requesting a
 * test, failing one that cannot start, and a plan's test history. A test that cannot start is never dropped
 * silently: it is recorded as FAILED at stage REQUEST and announced with RestoreTestFailed.
 */
@Service
public class RestoreTests {

    private static final Logger log = LoggerFactory.getLogger(RestoreTests.class);
    /** The most tests a plan's history shows. */
    public static final int HISTORY = 50;

    private final PlanStore plans;
    private final RestoreStore restores;
    private final RestoreEvents events;
    private final AgentTargetStore agents;
    private final Clock clock;

    public RestoreTests(PlanStore plans, RestoreStore restores, RestoreEvents events, AgentTargetStore agents,
            Clock clock) {
        this.plans = plans;
        this.restores = restores;
        this.events = events;
        this.agents = agents;
        this.clock = clock;
    }

    /**
     * Counts a backup of {@code run}'s plan (in the transaction of the run's move to STORED); on reaching the
     * plan's {@code afterEveryBackups} resets the count and requests a test of exactly this backup. The Stored
     * event carries everything RestoreRequested needs, so the catalog is not asked.
     */
    @Transactional
    public void backupStored(Run run, CatalogBackup backup) {
        Optional<Plan> found = plans.lock(run.planId());
        if (found.isEmpty() || found.get().restoreTest() == null
                || found.get().restoreTest().afterEveryBackups() == null) {
            return;
        }
        Plan plan = found.get();
        int every = plan.restoreTest().afterEveryBackups();
        int count = plan.backupsSinceRestoreTest() + 1;
        if (count < every) {
            plans.updateBackupsSinceRestoreTest(plan.id(), count);
            log.debug("Plan {} stored {} of {} backups towards its next restore test", plan.id(), count, every);
            return;
        }
        plans.updateBackupsSinceRestoreTest(plan.id(), 0);
        Instant now = PlanService.now(clock);
        Restore test = Restore.test(plan, RestoreTrigger.AFTER_BACKUPS, backup.ref(), null, now);
        if (!destinationAnnounced(test)) {
            restores.insert(test);
            failRequest(test, unannounced(test), now);
            return;
        }
        restores.insert(test);
        events.requested(test);
        log.info("Requested restore test {} of plan {} '{}' after {} backups: backup {} into {}/{}/{}", test.id(),
                plan.id(), plan.name(), every, backup.backupId(), test.destination().agentId(),
                test.destination().target(), test.destination().database());
    }

    /** Whether the agent of the test's destination still announces the destination target. */
    boolean destinationAnnounced(Restore test) {
        return agents.isAnnounced(test.destination().agentId(), test.destination().target());
    }

    static String unannounced(Restore test) {
        return "restore test not started: agent '" + test.destination().agentId()
                + "' does not announce the restore-test destination target '" + test.destination().target() + "'";
    }

    /** Fails a stored test that cannot start (stage REQUEST) and announces it with RestoreTestFailed. */
    Restore failRequest(Restore test, String reason, Instant now) {
        Restore failed = test.failed(RestoreStage.REQUEST, reason, false, now);
        restores.update(failed);
        events.testFailed(failed);
        log.warn("Restore test {} of plan {} failed at REQUEST: {}", test.id(), test.planId(), reason);
        return failed;
    }

    /** A plan's restore tests, newest first (at most {@link #HISTORY}), and the outcome of the newest finished. */
    public RestoreTestHistory history(UUID planId) {
        Plan plan = plans.find(planId).orElseThrow(() -> NotFoundException.plan(planId));
        List<Restore> tests = restores.byPlan(plan.id(), HISTORY);
        Optional<Restore> last = restores.newestFinished(plan.id());
        return new RestoreTestHistory(plan.id(), last.map(Restore::state).orElse(null),
                last.map(Restore::rtoMillis).orElse(null), last.map(Restore::finishedAt).orElse(null), tests);
    }
}
