package io.backbus.uploader.storage;

import io.backbus.contracts.RestoreRequested;
import io.backbus.delivery.EventCodec;
import io.backbus.uploader.domain.PendingThaw;
import io.backbus.uploader.domain.RestoreThawStore;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code restore_thaw} table: restores waiting for a cold-tier object, polled by due time. */
@Repository
class JdbcRestoreThawStore implements RestoreThawStore {

    private final JdbcClient jdbc;
    private final EventCodec codec;

    JdbcRestoreThawStore(JdbcClient jdbc, EventCodec codec) {
        this.jdbc = jdbc;
        this.codec = codec;
    }

    /**
     * Records a pending thaw unless the restore has one already (then that one carries on).
     *
     * @return true if recorded
     */
    @Override
    public boolean insertIfAbsent(RestoreRequested r, Instant now, Instant nextCheckAt, Instant deadline) {
        return jdbc.sql("""
                insert into restore_thaw (restore_id, backup_id, bucket, object_key, request, created_at, deadline,
                                          next_check_at)
                values (:restoreId, :backupId, :bucket, :objectKey, cast(:request as jsonb), :createdAt, :deadline,
                        :nextCheckAt)
                on conflict (restore_id) do nothing""")
                .param("restoreId", r.restoreId())
                .param("backupId", r.backupId())
                .param("bucket", r.bucket())
                .param("objectKey", r.objectKey())
                .param("request", new String(codec.encode(r), StandardCharsets.UTF_8))
                .param("createdAt", Timestamp.from(now))
                .param("deadline", Timestamp.from(deadline))
                .param("nextCheckAt", Timestamp.from(nextCheckAt))
                .update() == 1;
    }

    /**
     * Claims the thaw due first (skipping rows another replica holds) and moves its next check to {@code leaseUntil},
     * so that if this replica dies mid-check another takes it over then. Runs in its own short transaction.
     */
    @Override
    public Optional<PendingThaw> claimDue(Instant now, Instant leaseUntil) {
        UUID claim = UUID.randomUUID();
        return jdbc.sql("""
                update restore_thaw set claim = :claim, next_check_at = :leaseUntil, checks = checks + 1
                where restore_id = (select restore_id from restore_thaw where next_check_at <= :now
                                    order by next_check_at limit 1 for update skip locked)
                returning request::text as request, deadline""")
                .param("claim", claim)
                .param("leaseUntil", Timestamp.from(leaseUntil))
                .param("now", Timestamp.from(now))
                .query((rs, n) -> new PendingThaw(codec.decode(rs.getString("request").getBytes(StandardCharsets.UTF_8),
                        RestoreRequested.class), rs.getTimestamp("deadline").toInstant(), claim))
                .optional();
    }

    /** Sets the next check of a claimed thaw and releases the claim; false if the claim was lost. */
    @Override
    public boolean reschedule(PendingThaw thaw, Instant nextCheckAt) {
        return jdbc.sql("update restore_thaw set next_check_at = ?, claim = null where restore_id = ? and claim = ?")
                .params(Timestamp.from(nextCheckAt), thaw.request().restoreId(), thaw.claim())
                .update() == 1;
    }

    /** Forgets the pending thaw of a restore answered otherwise (requested again once the object was thawed). */
    @Override
    public void delete(UUID restoreId) {
        jdbc.sql("delete from restore_thaw where restore_id = ?").param(restoreId).update();
    }

    /** Removes a claimed thaw whose restore is decided; false if the claim was lost (another replica decides). */
    @Override
    public boolean finish(PendingThaw thaw) {
        return jdbc.sql("delete from restore_thaw where restore_id = ? and claim = ?")
                .params(thaw.request().restoreId(), thaw.claim())
                .update() == 1;
    }
}
