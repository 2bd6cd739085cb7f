package io.backbus.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The scheduler asks for a stored backup to be restored. The uploader fetches, checks and decrypts it; the
 * destination agent restores and verifies it. The backup's identity and checksums come from the catalog, so the
 * uploader can refuse an object or a manifest that disagrees with it.
 *
 * @param restoreId       the restore
 * @param backupId        the cataloged backup to restore
 * @param runId           the run that produced the backup
 * @param planId          the plan whose restore test this is, or null for a manual restore
 * @param purpose         manual restore or restore test
 * @param target          the target the backup was taken of (the record key)
 * @param bucket          the bucket holding the backup
 * @param objectKey       key of the encrypted artifact
 * @param manifestKey     key of its manifest
 * @param plaintextSize   size of the artifact before encryption, per the catalog
 * @param plaintextSha256 hex SHA-256 of the artifact before encryption, per the catalog
 * @param ciphertextSize  size of the stored object, per the catalog
 * @param destination     where to restore
 * @param options         how to restore
 * @param smokeQueries    the plan's smoke queries to run after the restore (may be empty)
 * @param requestedAt     when the restore was requested
 */
public record RestoreRequested(UUID restoreId, UUID backupId, UUID runId, UUID planId, RestorePurpose purpose,
        String target, String bucket, String objectKey, String manifestKey, long plaintextSize,
        String plaintextSha256, long ciphertextSize, RestoreDestination destination, RestoreOptions options,
        List<SmokeQuery> smokeQueries, Instant requestedAt) {
}
