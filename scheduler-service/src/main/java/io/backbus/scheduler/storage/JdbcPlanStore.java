package io.backbus.scheduler.storage;

import static io.backbus.scheduler.storage.Rows.instant;
import static io.backbus.scheduler.storage.Rows.timestamp;

import io.backbus.scheduler.domain.Plan;
import io.backbus.scheduler.domain.PlanStore;
import io.backbus.scheduler.domain.RestoreTestPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcPlanStore implements PlanStore {

    private static final String COLUMNS = """
            id, name, target, agent_id, cron, time_zone, enabled, next_fire_at, created_at, restore_test, smoke_queries,
            next_restore_test_at, backups_since_restore_test""";

    private final JdbcClient jdbc;

    JdbcPlanStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Plan plan) {
        jdbc.sql("insert into plan (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)")
                .params(plan.id(), plan.name(), plan.target(), plan.agentId(), plan.cron(), plan.timeZone(),
                        plan.enabled(), timestamp(plan.nextFireAt()), timestamp(plan.createdAt()),
                        Json.write(plan.restoreTest()), Json.write(plan.smokeQueries()),
                        timestamp(plan.nextRestoreTestAt()), plan.backupsSinceRestoreTest())
                .update();
    }

    @Override
    public Optional<Plan> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from plan where id = ?").param(id).query(JdbcPlanStore::plan)
                .optional();
    }

    @Override
    public boolean existsByName(String name) {
        return jdbc.sql("select exists (select 1 from plan where name = ?)").param(name).query(Boolean.class)
                .single();
    }

    @Override
    public List<Plan> list() {
        return jdbc.sql("select " + COLUMNS + " from plan order by name").query(JdbcPlanStore::plan).list();
    }

    @Override
    public List<Plan> lockDue(Instant now, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from plan where enabled and next_fire_at <= ?
                order by next_fire_at limit ? for update skip locked""")
                .params(timestamp(now), limit)
                .query(JdbcPlanStore::plan)
                .list();
    }

    @Override
    public void updateNextFireAt(UUID planId, Instant nextFireAt) {
        jdbc.sql("update plan set next_fire_at = ? where id = ?").params(timestamp(nextFireAt), planId).update();
    }

    @Override
    public Optional<Plan> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from plan where id = ? for update").param(id)
                .query(JdbcPlanStore::plan).optional();
    }

    @Override
    public List<Plan> lockRestoreTestsDue(Instant now, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from plan where enabled and next_restore_test_at <= ?
                order by next_restore_test_at limit ? for update skip locked""")
                .params(timestamp(now), limit)
                .query(JdbcPlanStore::plan)
                .list();
    }

    @Override
    public void updateNextRestoreTestAt(UUID planId, Instant nextRestoreTestAt) {
        jdbc.sql("update plan set next_restore_test_at = ? where id = ?")
                .params(timestamp(nextRestoreTestAt), planId).update();
    }

    @Override
    public void updateBackupsSinceRestoreTest(UUID planId, int backups) {
        jdbc.sql("update plan set backups_since_restore_test = ? where id = ?").params(backups, planId).update();
    }

    private static Plan plan(ResultSet rs, int row) throws SQLException {
        return new Plan(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("target"),
                rs.getString("agent_id"), rs.getString("cron"), rs.getString("time_zone"), rs.getBoolean("enabled"),
                instant(rs, "next_fire_at"), instant(rs, "created_at"),
                Json.read(rs.getString("restore_test"), RestoreTestPolicy.class),
                Json.smokeQueries(rs.getString("smoke_queries")), instant(rs, "next_restore_test_at"),
                rs.getInt("backups_since_restore_test"));
    }
}
