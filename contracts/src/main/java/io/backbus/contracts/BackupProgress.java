package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * How far a running backup has come, published periodically by the agent while dumping and by the uploader while
 * uploading. Telemetry, not state: a lost progress event changes nothing but a progress bar.
 *
 * @param runId      the run
 * @param agentId    the agent of the run
 * @param target     the target
 * @param stage      {@link BackupStage#DUMP}: bytes pg_dump has produced so far, before the agent compresses them;
 *                   or {@link BackupStage#UPLOAD}: bytes of the staged artifact (as served, compressed) the
 *                   uploader has read, encrypted and sent on
 * @param bytes      bytes done so far in this stage
 * @param totalBytes bytes this stage will process in all, or -1 when unknown (a dump's size is known only at its end)
 * @param at         when measured
 */
public record BackupProgress(UUID runId, String agentId, String target, BackupStage stage, long bytes,
        long totalBytes, Instant at) {
}
