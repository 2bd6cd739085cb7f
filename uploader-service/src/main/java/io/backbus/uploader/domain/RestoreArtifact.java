package io.backbus.uploader.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A checked backup this uploader serves, decrypted on the fly, to the holder of the restore's signed URL.
 *
 * @param restoreId the restore
 * @param backupId  the backup
 * @param bucket    bucket of the ciphertext
 * @param objectKey key of the ciphertext (also its associated data)
 * @param sha256    hex SHA-256 of the plaintext served
 * @param sizeBytes bytes served
 * @param expiresAt when the URL stops working
 */
public record RestoreArtifact(UUID restoreId, UUID backupId, String bucket, String objectKey, String sha256,
        long sizeBytes, Instant expiresAt) {
}
