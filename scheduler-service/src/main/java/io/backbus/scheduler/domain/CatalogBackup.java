package io.backbus.scheduler.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A backup as the catalog (retention-service) lists it, or as a Stored event announced it. Only the fields the
 * scheduler uses.
 *
 * @param status AVAILABLE while restorable; other values (EXPIRED, ...) as the catalog adds them
 */
public record CatalogBackup(UUID backupId, UUID runId, String target, String agentId, String bucket,
        String objectKey, String manifestKey, long plaintextSize, long ciphertextSize, String plaintextSha256,
        String status, Instant storedAt) {

    /** The catalog status of a restorable backup. */
    public static final String AVAILABLE = "AVAILABLE";

    public boolean available() {
        return AVAILABLE.equals(status);
    }

    /** What a restore needs to know of the backup. */
    public BackupRef ref() {
        return new BackupRef(backupId, runId, bucket, objectKey, manifestKey, plaintextSize, plaintextSha256,
                ciphertextSize);
    }
}
