package io.backbus.scheduler.domain;

import java.util.UUID;

/**
 * The backup a restore restores, with the identity and checksums the catalog gave at request time; they travel in
 * RestoreRequested so the uploader can refuse an object or manifest that disagrees.
 */
public record BackupRef(UUID backupId, UUID runId, String bucket, String objectKey, String manifestKey,
        long plaintextSize, String plaintextSha256, long ciphertextSize) {
}
