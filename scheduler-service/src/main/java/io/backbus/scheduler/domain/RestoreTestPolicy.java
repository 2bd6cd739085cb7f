package io.backbus.scheduler.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.BiPredicate;
import org.springframework.scheduling.support.CronExpression;

/**
 * When and where a plan's backups are restore-tested: restored into a scratch database {@code backbus_rt_<8 hex>}
 * on {@code agentId}'s {@code target}, verified, timed against the RTO target, dropped. Field names are those of
 * the REST API ({@code restoreTest.*}).
 *
 * @param cron              when to test the newest AVAILABLE backup of the plan's target (in the plan's time zone),
 *                          or null
 * @param afterEveryBackups test every Nth backup of the plan (the one whose Stored completes the count), or null
 * @param agentId           the agent that restores (default: the plan's agent)
 * @param target            a target of that agent whose server takes the scratch database (default: the plan's)
 * @param rtoTargetSeconds  the longest a test may take, from request to verified restore, or null for none
 * @param jobs              parallel {@code pg_restore} jobs (default 2)
 */
public record RestoreTestPolicy(String cron, Integer afterEveryBackups, String agentId, String target,
        Double rtoTargetSeconds, Integer jobs) {

    /** {@code pg_restore -j} of a restore test unless the plan says otherwise. */
    public static final int DEFAULT_JOBS = 2;
    /** The most parallel jobs a restore may ask for. */
    public static final int MAX_JOBS = 16;
    /** The longest RTO target accepted: a year. */
    static final double MAX_RTO_TARGET_SECONDS = 365 * 24 * 3600;

    /** The RTO target in whole milliseconds, rounded up (at least 1), or null when there is none. */
    public Long rtoTargetMillis() {
        if (rtoTargetSeconds == null) {
            return null;
        }
        long millis = BigDecimal.valueOf(rtoTargetSeconds).movePointRight(3).setScale(0, RoundingMode.CEILING)
                .longValueExact();
        return Math.max(1, millis);
    }

    /** The parallel jobs to use. */
    public int effectiveJobs() {
        return jobs == null ? DEFAULT_JOBS : jobs;
    }

    /** This policy with the destination and jobs defaulted: the plan's own agent and target, 2 jobs. */
    public RestoreTestPolicy withDefaults(String planAgent, String planTarget) {
        return new RestoreTestPolicy(cron == null ? null : cron.trim(), afterEveryBackups,
                agentId == null ? planAgent : agentId, target == null ? planTarget : target, rtoTargetSeconds,
                effectiveJobs());
    }

    /** The cron schedule of the tests in the plan's time zone, or null when the tests are not on a cron. */
    public CronSchedule schedule(String timeZone) {
        return cron == null ? null : CronSchedule.of(cron, timeZone);
    }

    /**
     * Everything wrong with this policy.
     *
     * @param zone      the plan's time zone, or null if it is invalid (then the cron is only parsed)
     * @param announced whether an agent announced a target: {@code (agent, target) -> boolean}
     * @param planAgent the plan's agent (the default destination agent)
     * @param planTarget the plan's target (the default destination target)
     */
    List<FieldProblem> problems(ZoneId zone, Instant now, BiPredicate<String, String> announced, String planAgent,
            String planTarget, List<FieldProblem> problems) {
        if (cron == null && afterEveryBackups == null) {
            problems.add(new FieldProblem("restoreTest", "needs a cron, afterEveryBackups or both"));
        }
        if (cron != null) {
            try {
                CronExpression expression = CronSchedule.parseCron(cron);
                if (zone != null && expression.next(now.atZone(zone)) == null) {
                    problems.add(new FieldProblem("restoreTest.cron", "'" + cron.trim() + "' never fires"));
                }
            } catch (InvalidScheduleException e) {
                problems.add(new FieldProblem("restoreTest.cron", e.getMessage()));
            }
        }
        if (afterEveryBackups != null && afterEveryBackups < 1) {
            problems.add(new FieldProblem("restoreTest.afterEveryBackups", "must be at least 1"));
        }
        boolean agentOk = agentId == null || NewPlan.name(problems, "restoreTest.agentId", agentId);
        boolean targetOk = target == null || NewPlan.name(problems, "restoreTest.target", target);
        if (rtoTargetSeconds != null) {
            if (rtoTargetSeconds.isNaN() || rtoTargetSeconds <= 0) {
                problems.add(new FieldProblem("restoreTest.rtoTargetSeconds", "must be greater than 0"));
            } else if (rtoTargetSeconds > MAX_RTO_TARGET_SECONDS) {
                problems.add(new FieldProblem("restoreTest.rtoTargetSeconds",
                        "must be at most " + (long) MAX_RTO_TARGET_SECONDS + " (a year)"));
            }
        }
        if (jobs != null && (jobs < 1 || jobs > MAX_JOBS)) {
            problems.add(new FieldProblem("restoreTest.jobs", "must be between 1 and " + MAX_JOBS));
        }
        if ((agentId != null || target != null) && agentOk && targetOk && planAgent != null && planTarget != null) {
            String agent = agentId == null ? planAgent : agentId;
            String destination = target == null ? planTarget : target;
            boolean plansOwn = agent.equals(planAgent) && destination.equals(planTarget);
            if (!plansOwn && !announced.test(agent, destination)) {
                problems.add(new FieldProblem(target != null ? "restoreTest.target" : "restoreTest.agentId",
                        "agent '" + agent + "' has not announced a target named '" + destination + "'"));
            }
        }
        return problems;
    }
}
