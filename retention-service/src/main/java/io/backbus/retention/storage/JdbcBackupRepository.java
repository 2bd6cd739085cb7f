package io.backbus.retention.storage;

import io.backbus.retention.domain.Backup;
import io.backbus.retention.domain.BackupRepository;
import io.backbus.retention.domain.BackupStatus;
import io.backbus.retention.domain.StorageClass;
import io.backbus.retention.domain.Verification;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The catalog in PostgreSQL (table {@code backup}). */
@Repository
class JdbcBackupRepository implements BackupRepository {

    /** What a new entry is inserted with; the verification columns start null. */
    private static final String COLUMNS = """
            backup_id, run_id, target, agent_id, bucket, object_key, manifest_key, plaintext_size, plaintext_sha256,
            ciphertext_size, ciphertext_sha256, encryption, key_id, storage_class, format, compression, database_name,
            server_version, dump_started_at, dump_finished_at, stored_at, status, cataloged_at""";
    private static final String SELECT = "select " + COLUMNS + """
            , last_verified_at, last_verified_rto_millis, last_verified_restore_id from backup""";

    private final JdbcClient jdbc;

    JdbcBackupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean addIfAbsent(Backup b) {
        // no conflict target: a clash on the backup id or on the run id both mean "already cataloged"
        return jdbc.sql("insert into backup (" + COLUMNS + """
                ) values (:backupId, :runId, :target, :agentId, :bucket, :objectKey, :manifestKey, :plaintextSize,
                :plaintextSha256, :ciphertextSize, :ciphertextSha256, :encryption, :keyId, :storageClass, :format,
                :compression, :databaseName, :serverVersion, :dumpStartedAt, :dumpFinishedAt, :storedAt, :status,
                :catalogedAt)
                on conflict do nothing""")
                .param("backupId", b.backupId())
                .param("runId", b.runId())
                .param("target", b.target())
                .param("agentId", b.agentId())
                .param("bucket", b.bucket())
                .param("objectKey", b.objectKey())
                .param("manifestKey", b.manifestKey())
                .param("plaintextSize", b.plaintextSize())
                .param("plaintextSha256", b.plaintextSha256())
                .param("ciphertextSize", b.ciphertextSize())
                .param("ciphertextSha256", b.ciphertextSha256())
                .param("encryption", b.encryption())
                .param("keyId", b.keyId())
                .param("storageClass", b.storageClass().name())
                .param("format", b.format())
                .param("compression", b.compression())
                .param("databaseName", b.databaseName())
                .param("serverVersion", b.serverVersion())
                .param("dumpStartedAt", timestamp(b.dumpStartedAt()))
                .param("dumpFinishedAt", timestamp(b.dumpFinishedAt()))
                .param("storedAt", timestamp(b.storedAt()))
                .param("status", b.status().name())
                .param("catalogedAt", timestamp(b.catalogedAt()))
                .update() == 1;
    }

    @Override
    public Optional<Backup> findById(UUID backupId) {
        return jdbc.sql(SELECT + " where backup_id = ?").param(backupId)
                .query(JdbcBackupRepository::map).optional();
    }

    @Override
    public Optional<Backup> findByRunId(UUID runId) {
        return jdbc.sql(SELECT + " where run_id = ?").param(runId)
                .query(JdbcBackupRepository::map).optional();
    }

    @Override
    public boolean recordVerification(UUID backupId, Verification v) {
        return jdbc.sql("""
                update backup set last_verified_at = :verifiedAt, last_verified_rto_millis = :rtoMillis,
                last_verified_restore_id = :restoreId
                where backup_id = :backupId and (last_verified_at is null or last_verified_at <= :verifiedAt)""")
                .param("backupId", backupId)
                .param("verifiedAt", timestamp(v.verifiedAt()))
                .param("rtoMillis", v.rtoMillis())
                .param("restoreId", v.restoreId())
                .update() == 1;
    }

    @Override
    public List<Backup> listNewestFirst(String target, int limit) {
        return jdbc.sql(SELECT + """
                 where (cast(:target as text) is null or target = :target)
                order by stored_at desc, cataloged_at desc, backup_id limit :limit""")
                .param("target", target)
                .param("limit", limit)
                .query(JdbcBackupRepository::map).list();
    }

    private static Backup map(ResultSet rs, int row) throws SQLException {
        return new Backup(rs.getObject("backup_id", UUID.class), rs.getObject("run_id", UUID.class),
                rs.getString("target"), rs.getString("agent_id"), rs.getString("bucket"), rs.getString("object_key"),
                rs.getString("manifest_key"), rs.getLong("plaintext_size"), rs.getString("plaintext_sha256"),
                rs.getLong("ciphertext_size"), rs.getString("ciphertext_sha256"), rs.getString("encryption"),
                rs.getString("key_id"), StorageClass.valueOf(rs.getString("storage_class")), rs.getString("format"),
                rs.getString("compression"), rs.getString("database_name"), rs.getString("server_version"),
                instant(rs, "dump_started_at"), instant(rs, "dump_finished_at"), instant(rs, "stored_at"),
                BackupStatus.valueOf(rs.getString("status")), instant(rs, "cataloged_at"), verification(rs));
    }

    private static Verification verification(ResultSet rs) throws SQLException {
        Instant verifiedAt = instant(rs, "last_verified_at");
        return verifiedAt == null ? null : new Verification(verifiedAt, rs.getLong("last_verified_rto_millis"),
                rs.getObject("last_verified_restore_id", UUID.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
