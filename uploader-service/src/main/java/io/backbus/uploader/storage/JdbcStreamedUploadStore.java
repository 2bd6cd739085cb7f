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
 * state (and owner) they leave, so two uploaders never both win a run.
 */
@Repository
class JdbcStreamedUploadStore implements StreamedUploadStore {

    private final JdbcClient jdbc;

    JdbcStreamedUploadStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claimForStreaming(UUID runId, String artifactKey, String owner, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                insert into streamed_upload (run_id, state, artifact_key, owner, lease_until, updated_at)
                values (?, 'STREAMING', ?, ?, ?, ?) on conflict do nothing""")
                .params(runId, artifactKey, owner, Timestamp.from(leaseUntil), Timestamp.from(now)).update() == 1;
    }

    @Override
    public boolean claimForPull(UUID runId, String artifactKey, String owner, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                insert into streamed_upload (run_id, state, artifact_key, owner, lease_until, updated_at)
                values (?, 'PULLING', ?, ?, ?, ?) on conflict do nothing""")
                .params(runId, artifactKey, owner, Timestamp.from(leaseUntil), Timestamp.from(now)).update() == 1;
    }

    @Override
    public boolean takeOverForPull(StreamedUpload seen, String artifactKey, String owner, Instant now,
            Instant leaseUntil) {
        // compare-and-set on what was seen: of two uploaders taking over the same dead claim, one wins
        return jdbc.sql("""
                update streamed_upload set state = 'PULLING', artifact_key = ?, owner = ?, lease_until = ?,
                       updated_at = ?, plaintext_size = null, plaintext_sha256 = null, ciphertext_size = null,
                       ciphertext_sha256 = null, key_id = null
                where run_id = ? and state = ? and owner is not distinct from ?
                  and lease_until is not distinct from ?""")
                .params(artifactKey, owner, Timestamp.from(leaseUntil), Timestamp.from(now), seen.runId(),
                        seen.state().name(), seen.owner(),
                        seen.leaseUntil() == null ? null : Timestamp.from(seen.leaseUntil()))
                .update() == 1;
    }

    @Override
    public Optional<StreamedUpload> find(UUID runId) {
        return jdbc.sql("""
                select run_id, state, artifact_key, plaintext_size, plaintext_sha256, ciphertext_size,
                       ciphertext_sha256, key_id, updated_at, owner, lease_until
                from streamed_upload where run_id = ?""")
                .param(runId)
                .query((rs, n) -> new StreamedUpload(rs.getObject(1, UUID.class),
                        StreamedUpload.State.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getObject(4, Long.class), trim(rs.getString(5)), rs.getObject(6, Long.class),
                        trim(rs.getString(7)), rs.getString(8), rs.getTimestamp(9).toInstant(), rs.getString(10),
                        rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant()))
                .optional();
    }

    @Override
    public boolean renew(UUID runId, StreamedUpload.State state, String owner, Instant now, Instant leaseUntil) {
        return jdbc.sql("""
                update streamed_upload set lease_until = ?, updated_at = ?
                where run_id = ? and owner = ? and state = ?""")
                .params(Timestamp.from(leaseUntil), Timestamp.from(now), runId, owner, state.name()).update() == 1;
    }

    @Override
    public boolean holds(UUID runId, StreamedUpload.State state, String owner) {
        return jdbc.sql("""
                select exists (select 1 from streamed_upload where run_id = ? and state = ? and owner = ?)""")
                .params(runId, state.name(), owner).query(Boolean.class).single();
    }

    @Override
    public boolean markUploaded(UUID runId, String owner, long plaintextSize, String plaintextSha256,
            long ciphertextSize, String ciphertextSha256, String keyId, Instant now) {
        return jdbc.sql("""
                update streamed_upload set state = 'UPLOADED', plaintext_size = ?, plaintext_sha256 = ?,
                       ciphertext_size = ?, ciphertext_sha256 = ?, key_id = ?, updated_at = ?, lease_until = null
                where run_id = ? and state = 'STREAMING' and owner = ?""")
                .params(plaintextSize, plaintextSha256, ciphertextSize, ciphertextSha256, keyId,
                        Timestamp.from(now), runId, owner)
                .update() == 1;
    }

    @Override
    public boolean markFailed(UUID runId, StreamedUpload.State from, Instant now) {
        return jdbc.sql("""
                update streamed_upload set state = 'FAILED', updated_at = ?, lease_until = null
                where run_id = ? and state = ?""")
                .params(Timestamp.from(now), runId, from.name()).update() == 1;
    }

    @Override
    public boolean markFailedBy(UUID runId, StreamedUpload.State from, String owner, Instant now) {
        return jdbc.sql("""
                update streamed_upload set state = 'FAILED', updated_at = ?, lease_until = null
                where run_id = ? and state = ? and owner = ?""")
                .params(Timestamp.from(now), runId, from.name(), owner).update() == 1;
    }

    @Override
    public boolean liveClaimOn(String artifactKey, Instant now) {
        return jdbc.sql("""
                select exists (select 1 from streamed_upload where artifact_key = ?
                               and state in ('STREAMING', 'PULLING') and lease_until >= ?)""")
                .params(artifactKey, Timestamp.from(now)).query(Boolean.class).single();
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
