package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.RestoreStage;
import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.manifest.BackupManifest;
import io.backbus.repository.manifest.InvalidManifestException;
import io.backbus.repository.manifest.ManifestFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Reads the manifest stored beside a backup ({@link BackupManifest}, written by this uploader) and refuses it unless
 * it describes exactly the backup the catalog asks for: run, backup id, object key, plaintext SHA-256 and size,
 * ciphertext size. The bucket is not compared: a bucket replicated or renamed for disaster recovery keeps its
 * manifests as they were written.
 */
@Service
public class ManifestCheck {

    /** Far above any real manifest (row counts of 100,000 tables fit in a few MiB). */
    static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

    private final BackupObjects objects;

    public ManifestCheck(BackupObjects objects) {
        this.objects = objects;
    }

    /**
     * @return the agent's description of the artifact held in the manifest
     * @throws RestoreFailure FETCH when the manifest cannot be read, INTEGRITY when it is unreadable or disagrees
     */
    ArtifactManifest verify(RestoreRequested r) throws RestoreFailure {
        String key = r.manifestKey();
        Optional<byte[]> bytes;
        try {
            bytes = objects.readAtMost(r.bucket(), key, MAX_MANIFEST_BYTES + 1);
        } catch (ObjectStoreException e) {
            throw new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": " + e.getMessage(),
                    e.retryable());
        }
        if (bytes.isEmpty()) {
            throw new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": manifest " + key
                    + " is not in bucket " + r.bucket() + " (expired or deleted)");
        }
        if (bytes.get().length > MAX_MANIFEST_BYTES) {
            throw integrity("manifest " + key + " is larger than " + MAX_MANIFEST_BYTES / (1024 * 1024)
                    + " MiB: not a manifest this uploader wrote");
        }
        BackupManifest m;
        try {
            m = ManifestFormat.read(bytes.get());
        } catch (InvalidManifestException e) {
            String detail = e.getMessage();
            throw integrity("manifest " + key + " is not a readable backbus manifest: "
                    + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail));
        }
        compare(key, "runId", m.runId(), r.runId());
        compare(key, "backupId", m.backupId(), r.backupId());
        compare(key, "objectKey", m.objectKey(), r.objectKey());
        compare(key, "plaintextSha256", m.plaintextSha256() == null ? null
                : m.plaintextSha256().toLowerCase(Locale.ROOT), r.plaintextSha256());
        compare(key, "plaintextSize", m.plaintextSize(), r.plaintextSize());
        compare(key, "ciphertextSize", m.ciphertextSize(), r.ciphertextSize());
        return complete(key, m.manifest());
    }

    private static void compare(String key, String field, Object manifest, Object catalog) throws RestoreFailure {
        if (!Objects.equals(manifest, catalog)) {
            throw integrity("manifest " + key + " disagrees with the catalog: " + field + " is "
                    + (manifest == null ? "missing" : manifest) + ", catalog says " + catalog);
        }
    }

    /** The description must satisfy RestoreArtifactReady's schema, which the agent relies on. */
    private static ArtifactManifest complete(String key, ArtifactManifest m) throws RestoreFailure {
        if (m == null) {
            throw integrity("manifest " + key + " is incomplete: manifest is missing");
        }
        String missing = m.format() == null ? "format" : m.compression() == null ? "compression"
                : m.database() == null ? "database" : m.serverVersion() == null ? "serverVersion"
                : m.dumpToolVersion() == null ? "dumpToolVersion" : m.dumpStartedAt() == null ? "dumpStartedAt"
                : m.dumpFinishedAt() == null ? "dumpFinishedAt" : null;
        if (missing != null) {
            throw integrity("manifest " + key + " is incomplete: manifest." + missing + " is missing");
        }
        return m;
    }

    private static RestoreFailure integrity(String reason) {
        return new RestoreFailure(RestoreStage.INTEGRITY, reason);
    }
}
