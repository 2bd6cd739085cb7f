package io.backbus.scheduler.domain;

import io.backbus.contracts.SmokeQuery;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.springframework.scheduling.support.CronExpression;

/**
 * A plan as an operator asked for it, before it is checked; field names are those of the REST API.
 *
 * @param restoreTest  when and where to restore-test the plan's backups, or null for no restore tests
 * @param smokeQueries queries every restore test runs against the restored database, or null for none
 */
public record NewPlan(String name, String target, String agent, String cron, String timeZone,
        RestoreTestPolicy restoreTest, List<SmokeQuery> smokeQueries) {

    /** Names, targets and agents travel in events whose schemas cap them at this length. */
    static final int MAX_NAME_LENGTH = 200;
    /** Smoke queries travel in RestoreRequested, whose schema caps them at this length. */
    static final int MAX_SQL_LENGTH = 4000;
    /** The most smoke queries of one plan. */
    static final int MAX_SMOKE_QUERIES = 100;

    /** A plan without restore tests. */
    public NewPlan(String name, String target, String agent, String cron, String timeZone) {
        this(name, target, agent, cron, timeZone, null, null);
    }

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
        if (restoreTest != null) {
            restoreTest.problems(zone, now, announced, agentOk ? agent : null, targetOk ? target : null, problems);
        }
        smokeQueryProblems(problems);
        return problems;
    }

    private void smokeQueryProblems(List<FieldProblem> problems) {
        if (smokeQueries == null) {
            return;
        }
        if (smokeQueries.size() > MAX_SMOKE_QUERIES) {
            problems.add(new FieldProblem("smokeQueries", "at most " + MAX_SMOKE_QUERIES + " smoke queries"));
            return;
        }
        for (int i = 0; i < smokeQueries.size(); i++) {
            SmokeQuery query = smokeQueries.get(i);
            String field = "smokeQueries[" + i + "]";
            if (query == null) {
                problems.add(new FieldProblem(field, "must be an object {sql, expected}"));
            } else if (query.sql() == null || query.sql().isBlank()) {
                problems.add(new FieldProblem(field + ".sql", "must not be blank"));
            } else if (query.sql().length() > MAX_SQL_LENGTH) {
                problems.add(new FieldProblem(field + ".sql", "must be at most " + MAX_SQL_LENGTH + " characters"));
            }
        }
    }

    /** The smoke queries, never null. */
    public List<SmokeQuery> smokeQueriesOrNone() {
        return smokeQueries == null ? List.of() : List.copyOf(smokeQueries);
    }

    static boolean name(List<FieldProblem> problems, String field, String value) {
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
