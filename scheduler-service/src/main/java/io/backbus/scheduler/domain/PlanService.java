package io.backbus.scheduler.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating and reading plans, and running one now. */
@Service
public class PlanService {

    private static final Logger log = LoggerFactory.getLogger(PlanService.class);

    private final PlanStore plans;
    private final RunStore runs;
    private final AgentTargetStore agents;
    private final RunEvents events;
    private final Clock clock;

    public PlanService(PlanStore plans, RunStore runs, AgentTargetStore agents, RunEvents events, Clock clock) {
        this.plans = plans;
        this.runs = runs;
        this.agents = agents;
        this.events = events;
        this.clock = clock;
    }

    /** Checks and stores a plan, due at its first slot after now; refuses it whole with every problem found. */
    @Transactional
    public Plan create(NewPlan draft) {
        Instant now = now(clock);
        List<FieldProblem> problems = new ArrayList<>(draft.problems(agents::isAnnounced, now));
        boolean nameProblem = problems.stream().anyMatch(p -> p.field().equals("name"));
        if (!nameProblem && plans.existsByName(draft.name())) {
            problems.add(duplicateName(draft.name()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        CronSchedule schedule = CronSchedule.of(draft.cron(), draft.timeZone());
        RestoreTestPolicy restoreTest = draft.restoreTest() == null ? null
                : draft.restoreTest().withDefaults(draft.agent(), draft.target());
        CronSchedule testSchedule = restoreTest == null ? null : restoreTest.schedule(schedule.zone().getId());
        Plan plan = new Plan(UUID.randomUUID(), draft.name(), draft.target(), draft.agent(), draft.cron().trim(),
                schedule.zone().getId(), true, schedule.nextAfter(now), now, restoreTest, draft.smokeQueriesOrNone(),
                testSchedule == null ? null : testSchedule.nextAfter(now), 0);
        try {
            plans.insert(plan);
        } catch (DuplicateKeyException e) {
            throw new InvalidPlanException(List.of(duplicateName(draft.name()))); // lost a race with another replica
        }
        log.info("Created plan {} '{}': {}/{} at '{}' ({}), first slot {}{}", plan.id(), plan.name(), plan.agentId(),
                plan.target(), plan.cron(), plan.timeZone(), plan.nextFireAt(),
                restoreTest == null ? "" : ", restore tests " + restoreTest + ", first test slot "
                        + plan.nextRestoreTestAt());
        return plan;
    }

    public Plan get(UUID id) {
        return plans.find(id).orElseThrow(() -> NotFoundException.plan(id));
    }

    public List<Plan> list() {
        return plans.list();
    }

    /** Starts a run of the plan now, outside its schedule; the run and its BackupRequested commit together. */
    @Transactional
    public Run runNow(UUID planId) {
        Plan plan = get(planId);
        Instant now = now(clock);
        Run run = Run.requested(plan, Trigger.MANUAL, now, now);
        if (!runs.insert(run)) {
            throw new IllegalStateException("a run of plan " + planId + " for " + now + " exists already");
        }
        events.requested(plan, run);
        log.info("Requested manual run {} of plan {} '{}'", run.id(), plan.id(), plan.name());
        return run;
    }

    /** Now, at the precision the database keeps, so what we return equals what we read back later. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static FieldProblem duplicateName(String name) {
        return new FieldProblem("name", "a plan named '" + name + "' exists already");
    }
}
