package io.backbus.retention.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the catalog: a stored, encrypted backup artifact and everything needed to find, verify and
 * restore it. Holds no secrets: {@code keyId} names the key, it is not the key.
 *
 * @param lastVerified the latest passing restore test of this backup, or null when none is known (never tested,
 *                     or proven before the catalog was rebuilt from the bucket)
 */
public record Backup(UUID backupId, UUID runId, String target, String agentId, String bucket, String objectKey,
        String manifestKey, long plaintextSize, String plaintextSha256, long ciphertextSize, String ciphertextSha256,
        String encryption, String keyId, StorageClass storageClass, String format, String compression,
        String databaseName, String serverVersion, Instant dumpStartedAt, Instant dumpFinishedAt, Instant storedAt,
        BackupStatus status, Instant catalogedAt, Verification lastVerified) {
}
