package io.backbus.repository.manifest;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.Stored;
import java.time.Instant;
import java.util.UUID;

/**
 * The {@code manifest.json} stored beside each backup, version {@value ManifestFormat#VERSION}: every field of the
 * Stored event (so the catalog can be rebuilt from the bucket alone) plus its own {@code kind} and
 * {@code manifestVersion}. Never the location (it carries a URL signature) nor any key material. Its JSON Schema is
 * {@code manifests/backup-manifest.v1.schema.json} in contracts (a sample beside it); read and written by
 * {@link ManifestFormat} only.
 */
public record BackupManifest(String kind, int manifestVersion, UUID runId, UUID backupId, String agentId,
        String target, String bucket, String objectKey, String manifestKey, long plaintextSize,
        String plaintextSha256, long ciphertextSize, String ciphertextSha256, String encryption, String keyId,
        Instant storedAt, ArtifactManifest manifest) {

    /** The manifest of the backup {@code s} announces. */
    public static BackupManifest of(Stored s) {
        return new BackupManifest(ManifestFormat.KIND, ManifestFormat.VERSION, s.runId(), s.backupId(), s.agentId(),
                s.target(), s.bucket(), s.objectKey(), s.manifestKey(), s.plaintextSize(), s.plaintextSha256(),
                s.ciphertextSize(), s.ciphertextSha256(), s.encryption(), s.keyId(), s.storedAt(), s.manifest());
    }

    /** The Stored event this manifest repeats. */
    public Stored stored() {
        return new Stored(runId, backupId, agentId, target, bucket, objectKey, manifestKey, plaintextSize,
                plaintextSha256, ciphertextSize, ciphertextSha256, encryption, keyId, storedAt, manifest);
    }
}
