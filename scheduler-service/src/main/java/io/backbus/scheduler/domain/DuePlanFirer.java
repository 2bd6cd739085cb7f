package io.backbus.scheduler.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fires the plans whose slot is due, exactly once whatever the number of replicas: each replica locks due plans
 * with {@code FOR UPDATE SKIP LOCKED}, so a plan is handled by one replica at a time, and moves its
 * {@code next_fire_at} past now in the same transaction, so the next replica no longer sees it due; the unique
 * (plan, slot, attempt) of a run is the backstop. After a downtime only the latest missed slot fires.
 */
@Service
public class DuePlanFirer {

    private static final Logger log = LoggerFactory.getLogger(DuePlanFirer.class);
    /** The most plans fired in one transaction. */
    public static final int BATCH = 100;

    private final PlanStore plans;
    private final RunStore runs;
    private final RunEvents events;
    private final Clock clock;

    public DuePlanFirer(PlanStore plans, RunStore runs, RunEvents events, Clock clock) {
        this.plans = plans;
        this.runs = runs;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Fires up to {@link #BATCH} due plans in one transaction.
     *
     * @return how many due plans this call handled (locked), fired or not
     */
    @Transactional
    public int fireDuePlans() {
        Instant now = PlanService.now(clock);
        List<Plan> due = plans.lockDue(now, BATCH);
        for (Plan plan : due) {
            fire(plan, now);
        }
        return due.size();
    }

    private void fire(Plan plan, Instant now) {
        CronSchedule schedule;
        try {
            schedule = plan.schedule();
        } catch (InvalidScheduleException e) {
            // only possible if the time-zone database dropped the plan's zone: stop rather than fail every tick
            log.error("Plan {} '{}' can no longer be scheduled and stops firing: {}", plan.id(), plan.name(),
                    e.getMessage());
            plans.updateNextFireAt(plan.id(), null);
            return;
        }
        Instant slot = schedule.latestDue(plan.nextFireAt(), now);
        if (slot.isAfter(plan.nextFireAt())) {
            log.warn("Plan {} '{}' missed its slots from {} to before {} (scheduler down or late); firing only {}",
                    plan.id(), plan.name(), plan.nextFireAt(), slot, slot);
        }
        Run run = Run.requested(plan, Trigger.SCHEDULE, slot, now);
        if (runs.insert(run)) {
            events.requested(plan, run);
            log.info("Fired plan {} '{}' for slot {}: run {}", plan.id(), plan.name(), slot, run.id());
        } else {
            log.info("Slot {} of plan {} fired already", slot, plan.id());
        }
        Instant next = schedule.nextAfter(now);
        plans.updateNextFireAt(plan.id(), next);
        if (next == null) {
            log.warn("Plan {} '{}' will never fire again: '{}' has no slot after {}", plan.id(), plan.name(),
                    plan.cron(), now);
        }
    }
}
