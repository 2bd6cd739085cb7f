package io.backbus.scheduler.storage;

import static io.backbus.scheduler.storage.Rows.instant;
import static io.backbus.scheduler.storage.Rows.timestamp;

import io.backbus.contracts.FailureStage;
import io.backbus.contracts.BackupStage;
import io.backbus.scheduler.domain.Run;
import io.backbus.scheduler.domain.RunProgress;
import io.backbus.scheduler.domain.RunState;
import io.backbus.scheduler.domain.RunStore;
import io.backbus.scheduler.domain.Trigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcRunStore implements RunStore {

    private static final String COLUMNS = """
            id, plan_id, target, agent_id, scheduled_for, trigger, attempt, state, failure_stage, failure_reason,
            object_key, backup_id, size_bytes, requested_at, dumped_at, stored_at, failed_at, verified_at,
            updated_at""";

    private final JdbcClient jdbc;

    JdbcRunStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean insert(Run run) {
        return jdbc.sql("insert into run (" + COLUMNS + """
                ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (plan_id, scheduled_for, attempt) do nothing""")
                .params(run.id(), run.planId(), run.target(), run.agentId(), timestamp(run.scheduledFor()),
                        run.trigger().wireName(), run.attempt(), run.state().name(), stage(run), run.failureReason(),
                        run.objectKey(), run.backupId(), run.sizeBytes(), timestamp(run.requestedAt()),
                        timestamp(run.dumpedAt()), timestamp(run.storedAt()), timestamp(run.failedAt()),
                        timestamp(run.verifiedAt()), timestamp(run.updatedAt()))
                .update() == 1;
    }

    @Override
    public Optional<Run> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from run where id = ?").param(id).query(JdbcRunStore::run).optional();
    }

    @Override
    public Optional<Run> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from run where id = ? for update").param(id)
                .query(JdbcRunStore::run).optional();
    }

    @Override
    public List<Run> byPlan(UUID planId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from run where plan_id = ? order by requested_at desc, id limit ?")
                .params(planId, limit).query(JdbcRunStore::run).list();
    }

    @Override
    public List<Run> newest(int limit) {
        return jdbc.sql("select " + COLUMNS + " from run order by requested_at desc, id limit ?")
                .param(limit).query(JdbcRunStore::run).list();
    }

    @Override
    public List<Run> lockStalled(Instant cutoff, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from run where state in ('REQUESTED', 'DUMPED') and updated_at < ?
                order by updated_at limit ? for update skip locked""")
                .params(timestamp(cutoff), limit).query(JdbcRunStore::run).list();
    }

    @Override
    public void update(Run run) {
        jdbc.sql("""
                update run set state = ?, failure_stage = ?, failure_reason = ?, object_key = ?, backup_id = ?,
                    size_bytes = ?, dumped_at = ?, stored_at = ?, failed_at = ?, verified_at = ?, updated_at = ?
                where id = ?""")
                .params(run.state().name(), stage(run), run.failureReason(), run.objectKey(), run.backupId(),
                        run.sizeBytes(), timestamp(run.dumpedAt()), timestamp(run.storedAt()),
                        timestamp(run.failedAt()), timestamp(run.verifiedAt()), timestamp(run.updatedAt()), run.id())
                .update();
    }

    @Override
    public boolean raiseProgress(UUID runId, BackupStage stage, long bytes, long totalBytes, Instant at) {
        // greatest() ignores nulls: the first report sets a column, later ones only raise it
        return jdbc.sql("""
                update run set
                    bytes_dumped = case when :stage = 'DUMP' then greatest(bytes_dumped, :bytes) else bytes_dumped end,
                    bytes_uploaded = case when :stage = 'UPLOAD' then greatest(bytes_uploaded, :bytes)
                                          else bytes_uploaded end,
                    upload_total_bytes = case when :stage = 'UPLOAD' and :total >= 0 then :total
                                              else upload_total_bytes end,
                    progress_at = greatest(progress_at, :at)
                where id = :id and state not in ('STORED', 'VERIFIED', 'FAILED')""")
                .param("stage", stage.name())
                .param("bytes", bytes)
                .param("total", totalBytes)
                .param("at", timestamp(at))
                .param("id", runId)
                .update() == 1;
    }

    @Override
    public Map<UUID, RunProgress> progressOf(Collection<UUID> runIds) {
        Map<UUID, RunProgress> progress = new HashMap<>();
        if (runIds.isEmpty()) {
            return progress;
        }
        jdbc.sql("""
                select id, bytes_dumped, bytes_uploaded, upload_total_bytes, progress_at from run
                where id in (:ids) and progress_at is not null""")
                .param("ids", List.copyOf(runIds))
                .query((rs, n) -> progress.put(rs.getObject("id", UUID.class), new RunProgress(
                        (Long) rs.getObject("bytes_dumped"), (Long) rs.getObject("bytes_uploaded"),
                        (Long) rs.getObject("upload_total_bytes"), instant(rs, "progress_at"))))
                .list();
        return progress;
    }

    private static String stage(Run run) {
        return run.failureStage() == null ? null : run.failureStage().name();
    }

    private static Run run(ResultSet rs, int row) throws SQLException {
        String stage = rs.getString("failure_stage");
        long size = rs.getLong("size_bytes");
        Long sizeBytes = rs.wasNull() ? null : size;
        return new Run(rs.getObject("id", UUID.class), rs.getObject("plan_id", UUID.class), rs.getString("target"),
                rs.getString("agent_id"), instant(rs, "scheduled_for"), Trigger.fromWireName(rs.getString("trigger")),
                rs.getInt("attempt"), RunState.valueOf(rs.getString("state")),
                stage == null ? null : FailureStage.valueOf(stage), rs.getString("failure_reason"),
                rs.getString("object_key"), rs.getObject("backup_id", UUID.class), sizeBytes,
                instant(rs, "requested_at"), instant(rs, "dumped_at"), instant(rs, "stored_at"),
                instant(rs, "failed_at"), instant(rs, "verified_at"), instant(rs, "updated_at"));
    }
}
