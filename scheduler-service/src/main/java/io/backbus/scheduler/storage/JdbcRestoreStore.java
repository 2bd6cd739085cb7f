package io.backbus.scheduler.storage;

import static io.backbus.scheduler.storage.Rows.instant;
import static io.backbus.scheduler.storage.Rows.timestamp;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import io.backbus.contracts.RestorePurpose;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.RestoreVerification;
import io.backbus.scheduler.domain.BackupRef;
import io.backbus.scheduler.domain.Restore;
import io.backbus.scheduler.domain.RestoreProgressState;
import io.backbus.scheduler.domain.RestoreState;
import io.backbus.scheduler.domain.RestoreStore;
import io.backbus.scheduler.domain.RestoreTrigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcRestoreStore implements RestoreStore {

    private static final String COLUMNS = """
            id, backup_id, run_id, plan_id, purpose, trigger, target, bucket, object_key, manifest_key,
            plaintext_size, plaintext_sha256, ciphertext_size, destination_agent_id, destination_target,
            destination_database, options, smoke_queries, state, stage, reason, scheduled_for, rto_target_millis,
            requested_at, updated_at, finished_at, rto_millis, duration_millis, verification, destination_touched,
            destination_dropped""";

    private final JdbcClient jdbc;

    JdbcRestoreStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean insert(Restore r) {
        BackupRef b = r.backup();
        return jdbc.sql("insert into restores (" + COLUMNS + """
                ) values (:id, :backupId, :runId, :planId, :purpose, :trigger, :target, :bucket, :objectKey,
                    :manifestKey, :plaintextSize, :plaintextSha256, :ciphertextSize, :agentId, :destinationTarget,
                    :database, :options::jsonb, :smokeQueries::jsonb, :state, :stage, :reason, :scheduledFor,
                    :rtoTargetMillis, :requestedAt, :updatedAt, :finishedAt, :rtoMillis, :durationMillis,
                    :verification::jsonb, :touched, :dropped)
                on conflict (plan_id, scheduled_for) do nothing""")
                .param("id", r.id())
                .param("backupId", b == null ? null : b.backupId())
                .param("runId", b == null ? null : b.runId())
                .param("planId", r.planId())
                .param("purpose", r.purpose().name())
                .param("trigger", r.trigger().wireName())
                .param("target", r.target())
                .param("bucket", b == null ? null : b.bucket())
                .param("objectKey", b == null ? null : b.objectKey())
                .param("manifestKey", b == null ? null : b.manifestKey())
                .param("plaintextSize", b == null ? null : b.plaintextSize())
                .param("plaintextSha256", b == null ? null : b.plaintextSha256())
                .param("ciphertextSize", b == null ? null : b.ciphertextSize())
                .param("agentId", r.destination().agentId())
                .param("destinationTarget", r.destination().target())
                .param("database", r.destination().database())
                .param("options", Json.write(r.options()))
                .param("smokeQueries", Json.write(r.smokeQueries()))
                .param("state", r.state().name())
                .param("stage", r.stage() == null ? null : r.stage().name())
                .param("reason", r.reason())
                .param("scheduledFor", timestamp(r.scheduledFor()))
                .param("rtoTargetMillis", r.rtoTargetMillis())
                .param("requestedAt", timestamp(r.requestedAt()))
                .param("updatedAt", timestamp(r.updatedAt()))
                .param("finishedAt", timestamp(r.finishedAt()))
                .param("rtoMillis", r.rtoMillis())
                .param("durationMillis", r.durationMillis())
                .param("verification", Json.write(r.verification()))
                .param("touched", r.destinationTouched())
                .param("dropped", r.destinationDropped())
                .update() == 1;
    }

    @Override
    public Optional<Restore> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from restores where id = ?").param(id)
                .query(JdbcRestoreStore::restore).optional();
    }

    @Override
    public Optional<Restore> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from restores where id = ? for update").param(id)
                .query(JdbcRestoreStore::restore).optional();
    }

    @Override
    public Optional<Restore> lockOldestPending() {
        return jdbc.sql("select " + COLUMNS + """
                 from restores where state = 'PENDING'
                order by requested_at, id limit 1 for update skip locked""")
                .query(JdbcRestoreStore::restore).optional();
    }

    @Override
    public List<Restore> lockStalled(Instant cutoff, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from restores where state in ('PENDING', 'REQUESTED', 'READY') and updated_at < ?
                order by updated_at limit ? for update skip locked""")
                .params(timestamp(cutoff), limit).query(JdbcRestoreStore::restore).list();
    }

    @Override
    public void update(Restore r) {
        BackupRef b = r.backup();
        jdbc.sql("""
                update restores set backup_id = :backupId, run_id = :runId, bucket = :bucket,
                    object_key = :objectKey, manifest_key = :manifestKey, plaintext_size = :plaintextSize,
                    plaintext_sha256 = :plaintextSha256, ciphertext_size = :ciphertextSize, state = :state,
                    stage = :stage, reason = :reason, requested_at = :requestedAt, updated_at = :updatedAt,
                    finished_at = :finishedAt, rto_millis = :rtoMillis, duration_millis = :durationMillis,
                    verification = :verification::jsonb, destination_touched = :touched,
                    destination_dropped = :dropped
                where id = :id""")
                .param("backupId", b == null ? null : b.backupId())
                .param("runId", b == null ? null : b.runId())
                .param("bucket", b == null ? null : b.bucket())
                .param("objectKey", b == null ? null : b.objectKey())
                .param("manifestKey", b == null ? null : b.manifestKey())
                .param("plaintextSize", b == null ? null : b.plaintextSize())
                .param("plaintextSha256", b == null ? null : b.plaintextSha256())
                .param("ciphertextSize", b == null ? null : b.ciphertextSize())
                .param("state", r.state().name())
                .param("stage", r.stage() == null ? null : r.stage().name())
                .param("reason", r.reason())
                .param("requestedAt", timestamp(r.requestedAt()))
                .param("updatedAt", timestamp(r.updatedAt()))
                .param("finishedAt", timestamp(r.finishedAt()))
                .param("rtoMillis", r.rtoMillis())
                .param("durationMillis", r.durationMillis())
                .param("verification", Json.write(r.verification()))
                .param("touched", r.destinationTouched())
                .param("dropped", r.destinationDropped())
                .param("id", r.id())
                .update();
    }

    @Override
    public List<Restore> byPlan(UUID planId, int limit) {
        return jdbc.sql("select " + COLUMNS + " from restores where plan_id = ? order by requested_at desc, id limit ?")
                .params(planId, limit).query(JdbcRestoreStore::restore).list();
    }

    @Override
    public Optional<Restore> newestFinished(UUID planId) {
        return jdbc.sql("select " + COLUMNS + """
                 from restores where plan_id = ? and state in ('VERIFIED', 'FAILED')
                order by finished_at desc, id limit 1""")
                .param(planId).query(JdbcRestoreStore::restore).optional();
    }

    @Override
    public boolean raiseProgress(UUID restoreId, RestoreStage stage, long bytes, long totalBytes, Instant at) {
        // a report of an earlier stage (RestoreProgressState.STAGES), or fewer units of the same one, changes nothing
        return jdbc.sql("""
                update restores set progress_stage = :stage, progress_bytes = :bytes,
                    progress_total = case when :total >= 0 then :total end, progress_at = :at
                where id = :id and state in ('REQUESTED', 'READY')
                  and (progress_stage is null
                       or progress_stage = any(:earlier)
                       or (progress_stage = :stage and progress_bytes < :bytes))""")
                .param("stage", stage.name())
                .param("earlier", RestoreProgressState.stagesBefore(stage).stream().map(Enum::name)
                        .toArray(String[]::new))
                .param("bytes", bytes)
                .param("total", totalBytes)
                .param("at", timestamp(at))
                .param("id", restoreId)
                .update() == 1;
    }

    @Override
    public RestoreProgressState progressOf(UUID restoreId) {
        return jdbc.sql("""
                select progress_stage, progress_bytes, progress_total, progress_at from restores
                where id = ? and progress_stage is not null""")
                .param(restoreId)
                .query((rs, n) -> new RestoreProgressState(RestoreStage.valueOf(rs.getString("progress_stage")),
                        (Long) rs.getObject("progress_bytes"), (Long) rs.getObject("progress_total"),
                        instant(rs, "progress_at")))
                .optional().orElse(RestoreProgressState.NONE);
    }

    private static Restore restore(ResultSet rs, int row) throws SQLException {
        UUID backupId = rs.getObject("backup_id", UUID.class);
        BackupRef backup = backupId == null ? null : new BackupRef(backupId, rs.getObject("run_id", UUID.class),
                rs.getString("bucket"), rs.getString("object_key"), rs.getString("manifest_key"),
                rs.getLong("plaintext_size"), rs.getString("plaintext_sha256"), rs.getLong("ciphertext_size"));
        String stage = rs.getString("stage");
        return new Restore(rs.getObject("id", UUID.class), RestorePurpose.valueOf(rs.getString("purpose")),
                RestoreTrigger.fromWireName(rs.getString("trigger")), rs.getObject("plan_id", UUID.class),
                rs.getString("target"), backup,
                new RestoreDestination(rs.getString("destination_agent_id"), rs.getString("destination_target"),
                        rs.getString("destination_database")),
                Json.read(rs.getString("options"), RestoreOptions.class),
                Json.smokeQueries(rs.getString("smoke_queries")),
                instant(rs, "scheduled_for"), (Long) rs.getObject("rto_target_millis"),
                RestoreState.valueOf(rs.getString("state")), stage == null ? null : RestoreStage.valueOf(stage),
                rs.getString("reason"), instant(rs, "requested_at"), instant(rs, "updated_at"),
                instant(rs, "finished_at"), (Long) rs.getObject("rto_millis"), (Long) rs.getObject("duration_millis"),
                Json.read(rs.getString("verification"), RestoreVerification.class),
                rs.getBoolean("destination_touched"),
                (Boolean) rs.getObject("destination_dropped"));
    }
}
