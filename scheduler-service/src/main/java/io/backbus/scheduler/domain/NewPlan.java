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
            } else if (query.sql().indexOf('\0') >= 0) {
                problems.add(new FieldProblem(field + ".sql", "must not contain a NUL character"));
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
        String unsafe = unsafeInName(value);
        if (unsafe != null) {
            problems.add(new FieldProblem(field, unsafe));
            return false;
        }
        return true;
    }

    /** Characters a name has no use for, that a shell, a path or SQL would read as syntax. */
    static final String UNSAFE_NAME_CHARACTERS = "/\\'\"`;$|&<>(){}[]*?!~#%";

    /**
     * Why {@code value} cannot be a name (of a plan, target, agent or database), or null: names travel into
     * events, logs, program arguments and SQL identifiers, so control characters, the characters of
     * {@link #UNSAFE_NAME_CHARACTERS}, {@code ..} and a leading {@code -} (read as an option) are refused.
     */
    static String unsafeInName(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "must not contain control characters";
            }
            if (UNSAFE_NAME_CHARACTERS.indexOf(c) >= 0) {
                return "must not contain any of " + UNSAFE_NAME_CHARACTERS.chars().mapToObj(ch -> String.valueOf((char) ch))
                        .collect(java.util.stream.Collectors.joining(" "));
            }
        }
        if (value.contains("..")) {
            return "must not contain '..'";
        }
        if (value.startsWith("-")) {
            return "must not start with '-'";
        }
        return null;
    }
}
