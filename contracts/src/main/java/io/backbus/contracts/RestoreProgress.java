package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * How far a running restore has come. Telemetry, not state.
 *
 * @param restoreId  the restore
 * @param target     the target the backup was taken of
 * @param stage      {@link RestoreStage#INTEGRITY}: ciphertext bytes the uploader has read and authenticated in
 *                   its check pass; {@link RestoreStage#TRANSFER}: bytes the agent has received;
 *                   {@link RestoreStage#RESTORE}: archive entries {@code pg_restore} has processed
 * @param bytes      units done so far in this stage (bytes, or entries for RESTORE)
 * @param totalBytes units in all, or -1 when unknown
 * @param at         when measured
 */
public record RestoreProgress(UUID restoreId, String target, RestoreStage stage, long bytes, long totalBytes,
        Instant at) {
}
