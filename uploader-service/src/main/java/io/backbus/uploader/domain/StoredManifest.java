package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.Stored;
import java.time.Instant;
import java.util.UUID;

/**
 * The {@code manifest.json} stored beside each artifact: every field of the Stored event (so it validates against
 * {@code backup-stored.v1.schema.json}) plus its own kind and version. Never the location (it carries a URL
 * signature) nor any key material.
 */
record StoredManifest(String kind, int manifestVersion, UUID runId, UUID backupId, String agentId, String target,
        String bucket, String objectKey, String manifestKey, long plaintextSize, String plaintextSha256,
        long ciphertextSize, String ciphertextSha256, String encryption, String keyId, Instant storedAt,
        ArtifactManifest manifest) {

    static final String KIND = "backbus.artifact-manifest";

    static StoredManifest of(Stored s) {
        return new StoredManifest(KIND, 1, s.runId(), s.backupId(), s.agentId(), s.target(), s.bucket(),
                s.objectKey(), s.manifestKey(), s.plaintextSize(), s.plaintextSha256(), s.ciphertextSize(),
                s.ciphertextSha256(), s.encryption(), s.keyId(), s.storedAt(), s.manifest());
    }
}
