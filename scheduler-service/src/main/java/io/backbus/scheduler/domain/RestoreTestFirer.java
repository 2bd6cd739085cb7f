package io.backbus.scheduler.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires the cron slots of plans' restore tests, exactly once whatever the number of replicas, in two steps so that
 * no plan row stays locked while another service is asked:
 * <ol>
 *   <li><b>claim</b>: like {@link DuePlanFirer}, lock due plans with {@code FOR UPDATE SKIP LOCKED}, store a PENDING
 *       restore test for the slot (unique per plan and slot, the backstop) and move {@code next_restore_test_at}
 *       past now, in one transaction;</li>
 *   <li><b>resolve</b>: lock one PENDING test at a time ({@code SKIP LOCKED}), ask the catalog for the newest
 *       AVAILABLE backup of the plan's target and, in the same transaction, either request the test
 *       (RestoreRequested) or fail it at stage REQUEST (no backup, catalog unreachable, destination no longer
 *       announced) with RestoreTestFailed.</li>
 * </ol>
 * A replica that dies between the steps leaves a PENDING test that the next tick of any replica resolves.
 */
@Service
public class RestoreTestFirer {

    private static final Logger log = LoggerFactory.getLogger(RestoreTestFirer.class);
    /** The most plans claimed in one transaction. */
    public static final int BATCH = 100;

    private final PlanStore plans;
    private final RestoreStore restores;
    private final RestoreTests tests;
    private final RestoreEvents events;
    private final BackupCatalog catalog;
    private final TransactionTemplate tx;
    private final Clock clock;

    public RestoreTestFirer(PlanStore plans, RestoreStore restores, RestoreTests tests, RestoreEvents events,
            BackupCatalog catalog, PlatformTransactionManager transactions, Clock clock) {
        this.plans = plans;
        this.restores = restores;
        this.tests = tests;
        this.events = events;
        this.catalog = catalog;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Claims up to {@link #BATCH} due restore-test slots, then resolves every PENDING test.
     *
     * @return how many due plans this call claimed
     */
    public int fireDueRestoreTests() {
        Integer claimed = tx.execute(status -> claimDue());
        while (Boolean.TRUE.equals(tx.execute(status -> resolveOldestPending()))) {
            // one test per transaction, until none is pending
        }
        return claimed == null ? 0 : claimed;
    }

    private int claimDue() {
        Instant now = PlanService.now(clock);
        List<Plan> due = plans.lockRestoreTestsDue(now, BATCH);
        for (Plan plan : due) {
            claim(plan, now);
        }
        return due.size();
    }

    private void claim(Plan plan, Instant now) {
        CronSchedule schedule;
        try {
            schedule = plan.restoreTest() == null ? null : plan.restoreTest().schedule(plan.timeZone());
        } catch (InvalidScheduleException e) {
            schedule = null;
        }
        if (schedule == null) {
            log.error("Plan {} '{}' has a restore-test slot but no usable restore-test cron; its cron tests stop",
                    plan.id(), plan.name());
            plans.updateNextRestoreTestAt(plan.id(), null);
            return;
        }
        Instant slot = schedule.latestDue(plan.nextRestoreTestAt(), now);
        if (slot.isAfter(plan.nextRestoreTestAt())) {
            log.warn("Plan {} '{}' missed its restore-test slots from {} to before {}; testing only {}", plan.id(),
                    plan.name(), plan.nextRestoreTestAt(), slot, slot);
        }
        Restore pending = Restore.test(plan, RestoreTrigger.CRON, null, slot, now);
        if (restores.insert(pending)) {
            log.info("Restore-test slot {} of plan {} '{}' is due: restore test {}", slot, plan.id(), plan.name(),
                    pending.id());
        } else {
            log.info("Restore-test slot {} of plan {} fired already", slot, plan.id());
        }
        Instant next = schedule.nextAfter(now);
        plans.updateNextRestoreTestAt(plan.id(), next);
        if (next == null) {
            log.warn("Plan {} '{}' will never restore-test on its cron again: '{}' has no slot after {}", plan.id(),
                    plan.name(), plan.restoreTest().cron(), now);
        }
    }

    /** Resolves the oldest PENDING test; false when there is none (or all are being resolved elsewhere). */
    private boolean resolveOldestPending() {
        Optional<Restore> found = restores.lockOldestPending();
        if (found.isEmpty()) {
            return false;
        }
        Restore pending = found.get();
        Instant now = PlanService.now(clock);
        if (!tests.destinationAnnounced(pending)) {
            tests.failRequest(pending, RestoreTests.unannounced(pending), now);
            return true;
        }
        Optional<CatalogBackup> newest;
        try {
            newest = catalog.newestAvailable(pending.target());
        } catch (CatalogUnavailableException e) {
            tests.failRequest(pending, "restore test not started: could not ask the catalog for the newest backup"
                    + " of target '" + pending.target() + "': " + e.getMessage(), PlanService.now(clock));
            return true;
        }
        if (newest.isEmpty()) {
            tests.failRequest(pending, "restore test not started: the catalog has no AVAILABLE backup of target '"
                    + pending.target() + "' to test", PlanService.now(clock));
            return true;
        }
        Restore requested = pending.requested(newest.get().ref(), PlanService.now(clock));
        restores.update(requested);
        events.requested(requested);
        log.info("Requested restore test {} of plan {}: backup {} into {}/{}/{}", requested.id(), requested.planId(),
                newest.get().backupId(), requested.destination().agentId(), requested.destination().target(),
                requested.destination().database());
        return true;
    }
}
