package io.backbus.scheduler.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.springframework.scheduling.support.CronExpression;

/** A plan as an operator asked for it, before it is checked; field names are those of the REST API. */
public record NewPlan(String name, String target, String agent, String cron, String timeZone) {

    /** Names, targets and agents travel in events whose schemas cap them at this length. */
    static final int MAX_NAME_LENGTH = 200;

    /**
     * Everything wrong with this plan except a duplicate name (which needs the store).
     *
     * @param announced whether an agent announced a target: {@code (agent, target) -> boolean}
     * @param now       the time the plan would start from
     */
    public List<FieldProblem> problems(BiPredicate<String, String> announced, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        name(problems, "name", name);
        boolean targetOk = name(problems, "target", target);
        boolean agentOk = name(problems, "agent", agent);
        CronExpression cronExpression = null;
        ZoneId zone = null;
        try {
            cronExpression = CronSchedule.parseCron(cron);
        } catch (InvalidScheduleException e) {
            problems.add(new FieldProblem(e.field(), e.getMessage()));
        }
        try {
            zone = CronSchedule.parseZone(timeZone);
        } catch (InvalidScheduleException e) {
            problems.add(new FieldProblem(e.field(), e.getMessage()));
        }
        if (cronExpression != null && zone != null && cronExpression.next(now.atZone(zone)) == null) {
            problems.add(new FieldProblem("cron", "'" + cron.trim() + "' never fires"));
        }
        if (targetOk && agentOk && !announced.test(agent, target)) {
            problems.add(new FieldProblem("target", "agent '" + agent + "' has not announced a target named '"
                    + target + "'"));
        }
        return problems;
    }

    private static boolean name(List<FieldProblem> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new FieldProblem(field, "must not be blank"));
            return false;
        }
        if (value.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem(field, "must be at most " + MAX_NAME_LENGTH + " characters"));
            return false;
        }
        if (!value.strip().equals(value)) {
            problems.add(new FieldProblem(field, "must not start or end with white space"));
            return false;
        }
        return true;
    }
}
