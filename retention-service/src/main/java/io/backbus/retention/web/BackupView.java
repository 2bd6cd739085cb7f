package io.backbus.retention.web;

import io.backbus.retention.domain.Backup;
import io.backbus.retention.domain.Verification;
import java.time.Instant;
import java.util.UUID;

/**
 * A catalog entry as the REST API shows it; {@code format} is the artifact's (its backup kind's, e.g.
 * {@code pg_dump-custom}). {@code lastVerifiedAt}, {@code lastVerifiedRtoMillis} and
 * {@code lastVerifiedRestoreId} describe the latest passing restore test of the backup; all null when none is known.
 */
record BackupView(UUID backupId, UUID runId, String target, String agentId, String bucket, String objectKey,
        String manifestKey, long plaintextSize, long ciphertextSize, String plaintextSha256, String encryption,
        String keyId, String storageClass, String status, Instant storedAt, Instant dumpStartedAt,
        String serverVersion, String format, Instant lastVerifiedAt, Long lastVerifiedRtoMillis, UUID lastVerifiedRestoreId) {

    static BackupView of(Backup b) {
        Verification v = b.lastVerified();
        return new BackupView(b.backupId(), b.runId(), b.target(), b.agentId(), b.bucket(), b.objectKey(),
                b.manifestKey(), b.plaintextSize(), b.ciphertextSize(), b.plaintextSha256(), b.encryption(),
                b.keyId(), b.storageClass().name(), b.status().name(), b.storedAt(), b.dumpStartedAt(),
                b.serverVersion(), b.format(), v == null ? null : v.verifiedAt(), v == null ? null : v.rtoMillis(),
                v == null ? null : v.restoreId());
    }
}
