package io.backbus.uploader.storage;

import io.backbus.uploader.domain.RestoreArtifact;
import io.backbus.uploader.domain.RestoreArtifactStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code restore_artifact} table: what {@code GET /restore-artifacts/{restoreId}} serves. */
@Repository
class JdbcRestoreArtifactStore implements RestoreArtifactStore {

    private final JdbcClient jdbc;

    JdbcRestoreArtifactStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the artifact; a restore requested again replaces its earlier one (new URL, new expiry). */
    @Override
    public void save(RestoreArtifact a, Instant now) {
        jdbc.sql("""
                insert into restore_artifact (restore_id, backup_id, bucket, object_key, sha256, size_bytes,
                                              expires_at, created_at)
                values (:restoreId, :backupId, :bucket, :objectKey, :sha256, :sizeBytes, :expiresAt, :createdAt)
                on conflict (restore_id) do update set backup_id = excluded.backup_id, bucket = excluded.bucket,
                    object_key = excluded.object_key, sha256 = excluded.sha256, size_bytes = excluded.size_bytes,
                    expires_at = excluded.expires_at, created_at = excluded.created_at""")
                .param("restoreId", a.restoreId())
                .param("backupId", a.backupId())
                .param("bucket", a.bucket())
                .param("objectKey", a.objectKey())
                .param("sha256", a.sha256())
                .param("sizeBytes", a.sizeBytes())
                .param("expiresAt", Timestamp.from(a.expiresAt()))
                .param("createdAt", Timestamp.from(now))
                .update();
    }

    @Override
    public Optional<RestoreArtifact> find(UUID restoreId) {
        return jdbc.sql("""
                select restore_id, backup_id, bucket, object_key, sha256, size_bytes, expires_at
                from restore_artifact where restore_id = ?""")
                .param(restoreId)
                .query((rs, n) -> new RestoreArtifact(rs.getObject("restore_id", UUID.class),
                        rs.getObject("backup_id", UUID.class), rs.getString("bucket"), rs.getString("object_key"),
                        rs.getString("sha256"), rs.getLong("size_bytes"),
                        rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }

    /** Forgets artifacts whose URLs expired before {@code before}; returns how many. */
    @Override
    public int deleteExpiredBefore(Instant before) {
        return jdbc.sql("delete from restore_artifact where expires_at < ?").param(Timestamp.from(before)).update();
    }
}
