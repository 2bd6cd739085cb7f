package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The uploader stored a run's artifact, encrypted, in the object store, wrote its manifest beside it and verified
 * size and checksum.
 *
 * @param runId            the run
 * @param backupId         the id of the stored backup (the catalog's key)
 * @param agentId          the agent that dumped it (its staged copy may now be deleted)
 * @param target           the target backed up
 * @param bucket           the bucket
 * @param objectKey        key of the encrypted artifact
 * @param manifestKey      key of the JSON manifest stored beside it
 * @param plaintextSize    size of the artifact before encryption
 * @param plaintextSha256  hex SHA-256 of the artifact before encryption
 * @param ciphertextSize   size of the stored object
 * @param ciphertextSha256 hex SHA-256 of the stored object
 * @param encryption       the encryption scheme, e.g. {@code tink-streaming-aead/AES256_GCM_HKDF_1MB}
 * @param keyId            id of the keyset's primary key that encrypted it (not the key)
 * @param storedAt         when the upload was verified
 * @param manifest         the agent's description of the artifact
 */
public record Stored(UUID runId, UUID backupId, String agentId, String target, String bucket, String objectKey,
        String manifestKey, long plaintextSize, String plaintextSha256, long ciphertextSize, String ciphertextSha256,
        String encryption, String keyId, Instant storedAt, ArtifactManifest manifest) {
}
