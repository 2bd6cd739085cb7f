package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * A restore as an operator asked for it, before it is checked; field names are those of the REST API.
 *
 * @param backupId       the backup to restore, or null to restore the newest AVAILABLE backup of {@code target}
 * @param target         with {@code backupId} null: the target whose newest AVAILABLE backup to restore
 * @param destination    where to restore
 * @param clean          replace what the destination holds (default false)
 * @param createDatabase create the destination database if missing (default true)
 * @param jobs           parallel {@code pg_restore} jobs, 1 to 16 (default 1)
 */
public record NewRestore(UUID backupId, String target, RestoreDestination destination, Boolean clean,
        Boolean createDatabase, Integer jobs) {

    /** PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
    static final int MAX_DATABASE_NAME_BYTES = 63;

    /**
     * Everything wrong with this request.
     *
     * @param announced whether an agent announced a target: {@code (agent, target) -> boolean}
     */
    public List<FieldProblem> problems(BiPredicate<String, String> announced) {
        List<FieldProblem> problems = new ArrayList<>();
        if (backupId != null && target != null) {
            problems.add(new FieldProblem("backupId", "give either backupId or target (its newest AVAILABLE"
                    + " backup), not both"));
        } else if (backupId == null && target == null) {
            problems.add(new FieldProblem("backupId", "give either backupId or target (its newest AVAILABLE"
                    + " backup)"));
        } else if (target != null) {
            NewPlan.name(problems, "target", target);
        }
        if (destination == null) {
            problems.add(new FieldProblem("destination", "must be given: {agentId, target, database}"));
        } else {
            boolean agentOk = NewPlan.name(problems, "destination.agentId", destination.agentId());
            boolean targetOk = NewPlan.name(problems, "destination.target", destination.target());
            databaseName(problems, destination.database());
            if (agentOk && targetOk && !announced.test(destination.agentId(), destination.target())) {
                problems.add(new FieldProblem("destination.target", "agent '" + destination.agentId()
                        + "' has not announced a target named '" + destination.target() + "'"));
            }
        }
        if (jobs != null && (jobs < 1 || jobs > RestoreTestPolicy.MAX_JOBS)) {
            problems.add(new FieldProblem("jobs", "must be between 1 and " + RestoreTestPolicy.MAX_JOBS));
        }
        return problems;
    }

    /** The options asked for, defaults filled in; a manual restore keeps its destination. */
    public RestoreOptions options() {
        return new RestoreOptions(clean != null && clean, createDatabase == null || createDatabase,
                jobs == null ? 1 : jobs, false);
    }

    private static void databaseName(List<FieldProblem> problems, String database) {
        String field = "destination.database";
        if (database == null || database.isBlank()) {
            problems.add(new FieldProblem(field, "must not be blank"));
        } else if (database.indexOf('\0') >= 0) {
            problems.add(new FieldProblem(field, "must not contain a NUL character"));
        } else if (database.getBytes(StandardCharsets.UTF_8).length > MAX_DATABASE_NAME_BYTES) {
            problems.add(new FieldProblem(field, "must be at most " + MAX_DATABASE_NAME_BYTES
                    + " bytes (PostgreSQL's limit for a database name)"));
        } else if (!database.strip().equals(database)) {
            problems.add(new FieldProblem(field, "must not start or end with white space"));
        } else if (NewPlan.unsafeInName(database) != null) {
            problems.add(new FieldProblem(field, NewPlan.unsafeInName(database)));
        }
    }
}
