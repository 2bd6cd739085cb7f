package io.backbus.uploader.storage;

import io.backbus.contracts.Stored;
import io.backbus.uploader.domain.UploadStore;
import java.sql.Timestamp;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code upload} table: one row per run whose artifact is stored and verified. */
@Repository
class JdbcUploadStore implements UploadStore {

    private final JdbcClient jdbc;

    JdbcUploadStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Stored stored) {
        jdbc.sql("""
                insert into upload (run_id, backup_id, agent_id, target, bucket, object_key, manifest_key,
                                    plaintext_size, plaintext_sha256, ciphertext_size, ciphertext_sha256,
                                    encryption, key_id, stored_at)
                values (:runId, :backupId, :agentId, :target, :bucket, :objectKey, :manifestKey,
                        :plaintextSize, :plaintextSha256, :ciphertextSize, :ciphertextSha256,
                        :encryption, :keyId, :storedAt)""")
                .param("runId", stored.runId())
                .param("backupId", stored.backupId())
                .param("agentId", stored.agentId())
                .param("target", stored.target())
                .param("bucket", stored.bucket())
                .param("objectKey", stored.objectKey())
                .param("manifestKey", stored.manifestKey())
                .param("plaintextSize", stored.plaintextSize())
                .param("plaintextSha256", stored.plaintextSha256())
                .param("ciphertextSize", stored.ciphertextSize())
                .param("ciphertextSha256", stored.ciphertextSha256())
                .param("encryption", stored.encryption())
                .param("keyId", stored.keyId())
                .param("storedAt", Timestamp.from(stored.storedAt()))
                .update();
    }

    @Override
    public boolean existsForRun(UUID runId) {
        return jdbc.sql("select exists (select 1 from upload where run_id = ?)").param(runId)
                .query(Boolean.class).single();
    }
}
