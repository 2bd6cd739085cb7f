package io.backbus.notifier.storage;

import io.backbus.contracts.RestoreDestination;
import io.backbus.notifier.domain.Alert;
import io.backbus.notifier.domain.AlertKind;
import io.backbus.notifier.domain.AlertRepository;
import io.backbus.notifier.domain.AlertStatus;
import io.backbus.notifier.domain.RestoreDetails;
import io.backbus.notifier.domain.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Alerts in PostgreSQL (table {@code alert}). */
@Repository
class JdbcAlertRepository implements AlertRepository {

    private static final String COLUMNS = """
            id, dedup_key, kind, severity, target, run_id, stage, reason, agent_id, occurred_at, created_at, status,
            attempts, next_attempt_at, last_error, delivered_at, restore_id, backup_id, plan_id, rto_millis,
            rto_target_millis, destination_touched, destination_agent_id, destination_target, destination_database""";
    private static final int MAX_ERROR_LENGTH = 1000;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JdbcAlertRepository(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
    }

    @Override
    public void add(Alert a) {
        RestoreDetails r = a.restore();
        RestoreDestination d = r == null ? null : r.destination();
        jdbc.sql("insert into alert (" + COLUMNS + """
                ) values (:id, :dedupKey, :kind, :severity, :target, :runId, :stage, :reason, :agentId, :occurredAt,
                :createdAt, :status, :attempts, :nextAttemptAt, :lastError, :deliveredAt, :restoreId, :backupId, :planId,
                :rtoMillis, :rtoTargetMillis, :destinationTouched, :destinationAgentId, :destinationTarget,
                :destinationDatabase)""")
                .param("id", a.id())
                .param("dedupKey", a.dedupKey())
                .param("kind", a.kind().wireName())
                .param("severity", a.severity().wireName())
                .param("target", a.target())
                .param("runId", a.runId())
                .param("stage", a.stage())
                .param("reason", a.reason())
                .param("agentId", a.agentId())
                .param("occurredAt", timestamp(a.occurredAt()))
                .param("createdAt", timestamp(a.createdAt()))
                .param("status", a.status().name())
                .param("attempts", a.attempts())
                .param("nextAttemptAt", timestamp(a.nextAttemptAt()))
                .param("lastError", a.lastError())
                .param("deliveredAt", timestamp(a.deliveredAt()))
                .param("restoreId", r == null ? null : r.restoreId())
                .param("backupId", r == null ? null : r.backupId())
                .param("planId", r == null ? null : r.planId())
                .param("rtoMillis", r == null ? null : r.rtoMillis())
                .param("rtoTargetMillis", r == null ? null : r.rtoTargetMillis())
                .param("destinationTouched", r == null ? null : r.destinationTouched())
                .param("destinationAgentId", d == null ? null : d.agentId())
                .param("destinationTarget", d == null ? null : d.target())
                .param("destinationDatabase", d == null ? null : d.database())
                .update();
    }

    @Override
    public List<Alert> claimDue(Instant now, Instant leaseUntil, int limit) {
        List<Alert> claimed = tx.execute(status -> {
            List<Alert> due = jdbc.sql("select " + COLUMNS + """
                     from alert where status = 'PENDING' and next_attempt_at <= :now
                    order by next_attempt_at limit :limit for update skip locked""")
                    .param("now", timestamp(now))
                    .param("limit", limit)
                    .query(JdbcAlertRepository::map).list();
            if (!due.isEmpty()) {
                jdbc.sql("update alert set next_attempt_at = :leaseUntil where id in (:ids)")
                        .param("leaseUntil", timestamp(leaseUntil))
                        .param("ids", due.stream().map(Alert::id).toList())
                        .update();
            }
            return due;
        });
        return claimed == null ? List.of() : claimed;
    }

    @Override
    public void markDelivered(UUID id, int attempts, Instant deliveredAt) {
        jdbc.sql("""
                update alert set status = 'DELIVERED', attempts = :attempts, delivered_at = :deliveredAt,
                next_attempt_at = null where id = :id and status = 'PENDING'""")
                .param("id", id).param("attempts", attempts).param("deliveredAt", timestamp(deliveredAt))
                .update();
    }

    @Override
    public void markRetry(UUID id, int attempts, Instant nextAttemptAt, String error) {
        jdbc.sql("""
                update alert set attempts = :attempts, next_attempt_at = :next, last_error = :error
                where id = :id and status = 'PENDING'""")
                .param("id", id).param("attempts", attempts).param("next", timestamp(nextAttemptAt))
                .param("error", truncate(error))
                .update();
    }

    @Override
    public void markGaveUp(UUID id, int attempts, String error) {
        jdbc.sql("""
                update alert set status = 'GAVE_UP', attempts = :attempts, next_attempt_at = null,
                last_error = :error where id = :id and status = 'PENDING'""")
                .param("id", id).param("attempts", attempts).param("error", truncate(error))
                .update();
    }

    @Override
    public List<Alert> listNewestFirst(AlertStatus status, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from alert where (cast(:status as text) is null or status = :status)
                order by created_at desc, id limit :limit""")
                .param("status", status == null ? null : status.name())
                .param("limit", limit)
                .query(JdbcAlertRepository::map).list();
    }

    @Override
    public long countPending() {
        return jdbc.sql("select count(*) from alert where status = 'PENDING'").query(Long.class).single();
    }

    private static Alert map(ResultSet rs, int row) throws SQLException {
        return new Alert(rs.getObject("id", UUID.class), rs.getString("dedup_key"),
                AlertKind.fromWireName(rs.getString("kind")), Severity.fromWireName(rs.getString("severity")),
                rs.getString("target"), rs.getObject("run_id", UUID.class), rs.getString("stage"),
                rs.getString("reason"), rs.getString("agent_id"), instant(rs, "occurred_at"),
                instant(rs, "created_at"), AlertStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                instant(rs, "next_attempt_at"), rs.getString("last_error"), instant(rs, "delivered_at"),
                restore(rs));
    }

    /** The restore details, or null for an alert that is not about a restore. */
    private static RestoreDetails restore(ResultSet rs) throws SQLException {
        UUID restoreId = rs.getObject("restore_id", UUID.class);
        if (restoreId == null) {
            return null;
        }
        String destinationAgent = rs.getString("destination_agent_id");
        RestoreDestination destination = destinationAgent == null ? null : new RestoreDestination(destinationAgent,
                rs.getString("destination_target"), rs.getString("destination_database"));
        return new RestoreDetails(restoreId, rs.getObject("backup_id", UUID.class),
                rs.getObject("plan_id", UUID.class), rs.getObject("rto_millis", Long.class),
                rs.getObject("rto_target_millis", Long.class), rs.getObject("destination_touched", Boolean.class),
                destination);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
