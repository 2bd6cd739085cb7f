package io.backbus.uploader.storage;

import io.backbus.uploader.domain.StreamedUpload;
import io.backbus.uploader.domain.StreamedUploadStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code streamed_upload} table. Each statement commits on its own: a claim must be visible to the other
 * consumer thread (and other replicas) before the transfer it guards starts. State changes are conditional on the
 * state they leave, so a streamed upload and the ArtifactReady that takes it over never both win.
 */
@Repository
class JdbcStreamedUploadStore implements StreamedUploadStore {

    private final JdbcClient jdbc;

    JdbcStreamedUploadStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims the run for a streamed upload to {@code artifactKey}; false if anyone claimed it before. */
    @Override
    public boolean claimForStreaming(UUID runId, String artifactKey, Instant now) {
        return jdbc.sql("""
                insert into streamed_upload (run_id, state, artifact_key, updated_at)
                values (?, 'STREAMING', ?, ?) on conflict do nothing""")
                .params(runId, artifactKey, Timestamp.from(now)).update() == 1;
    }

    /** Claims the run for the normal pull if nobody did; false if a row exists (look at it with {@link #find}). */
    @Override
    public boolean claimForPull(UUID runId, Instant now) {
        return jdbc.sql("""
                insert into streamed_upload (run_id, state, updated_at)
                values (?, 'PULLING', ?) on conflict do nothing""")
                .params(runId, Timestamp.from(now)).update() == 1;
    }

    @Override
    public Optional<StreamedUpload> find(UUID runId) {
        return jdbc.sql("""
                select run_id, state, artifact_key, plaintext_size, plaintext_sha256, ciphertext_size,
                       ciphertext_sha256, key_id, updated_at
                from streamed_upload where run_id = ?""")
                .param(runId)
                .query((rs, n) -> new StreamedUpload(rs.getObject(1, UUID.class),
                        StreamedUpload.State.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getObject(4, Long.class), trim(rs.getString(5)), rs.getObject(6, Long.class),
                        trim(rs.getString(7)), rs.getString(8), rs.getTimestamp(9).toInstant()))
                .optional();
    }

    /** Heartbeat of a running streamed upload; false if it no longer holds the run. */
    @Override
    public boolean touchStreaming(UUID runId, Instant now) {
        return jdbc.sql("update streamed_upload set updated_at = ? where run_id = ? and state = 'STREAMING'")
                .params(Timestamp.from(now), runId).update() == 1;
    }

    /** Whether the run is still held by its streamed upload. */
    @Override
    public boolean isStreaming(UUID runId) {
        return jdbc.sql("select exists (select 1 from streamed_upload where run_id = ? and state = 'STREAMING')")
                .param(runId).query(Boolean.class).single();
    }

    /** The streamed upload completed its object; false if it had lost the run by then. */
    @Override
    public boolean markUploaded(UUID runId, long plaintextSize, String plaintextSha256, long ciphertextSize,
            String ciphertextSha256, String keyId, Instant now) {
        return jdbc.sql("""
                update streamed_upload set state = 'UPLOADED', plaintext_size = ?, plaintext_sha256 = ?,
                       ciphertext_size = ?, ciphertext_sha256 = ?, key_id = ?, updated_at = ?
                where run_id = ? and state = 'STREAMING'""")
                .params(plaintextSize, plaintextSha256, ciphertextSize, ciphertextSha256, keyId,
                        Timestamp.from(now), runId)
                .update() == 1;
    }

    /** Ends a run's streamed upload as failed (or taken over) if it is still {@code from}; false otherwise. */
    @Override
    public boolean markFailed(UUID runId, StreamedUpload.State from, Instant now) {
        return jdbc.sql("update streamed_upload set state = 'FAILED', updated_at = ? where run_id = ? and state = ?")
                .params(Timestamp.from(now), runId, from.name()).update() == 1;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
