package io.backbus.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The uploader has checked a backup end to end (the whole ciphertext authenticated, the plaintext checksum and
 * size match the catalog and the manifest) and serves the decrypted artifact at {@code location} until
 * {@code expiresAt}. The destination agent pulls it, checks {@code sha256} again and restores it.
 *
 * @param restoreId    the restore
 * @param backupId     the backup
 * @param runId        the run that produced it
 * @param planId       the plan of a restore test, or null
 * @param purpose      manual restore or restore test
 * @param target       the target the backup was taken of
 * @param destination  where to restore
 * @param options      how to restore
 * @param smokeQueries smoke queries to run after the restore
 * @param location     HMAC-signed, expiring URL serving the decrypted artifact (still compressed as the manifest
 *                     says); carries no credentials beyond the signature
 * @param sha256       hex SHA-256 of the bytes served
 * @param sizeBytes    number of bytes served
 * @param expiresAt    when {@code location} stops working
 * @param manifest     the agent's description of the artifact, with the row counts to verify against
 */
public record RestoreArtifactReady(UUID restoreId, UUID backupId, UUID runId, UUID planId, RestorePurpose purpose,
        String target, RestoreDestination destination, RestoreOptions options, List<SmokeQuery> smokeQueries,
        String location, String sha256, long sizeBytes, Instant expiresAt, ArtifactManifest manifest) {
}
