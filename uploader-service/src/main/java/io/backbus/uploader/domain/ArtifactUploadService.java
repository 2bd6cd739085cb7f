package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.Stored;
import io.backbus.crypto.ArtifactCipher;
import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.layout.DumpKeys;
import io.backbus.repository.layout.RepositoryLayout;
import io.backbus.repository.manifest.BackupManifest;
import io.backbus.repository.manifest.ManifestFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Stores a staged artifact: transfer (pull, encrypt, multipart upload), verify the stored size, write the manifest
 * beside it; then, in the caller's transaction, record the upload and publish Stored — or publish BackupFailed
 * naming the stage. {@link #upload} runs outside any transaction (it can take hours); {@link #record} is quick.
 * When the run was uploaded while it was dumped ({@link StreamedUploads}) and the streamed bytes are the ones the
 * event describes, the pull is skipped and the stored object is verified and described as if just transferred.
 */
@Service
public class ArtifactUploadService {

    private static final Logger log = LoggerFactory.getLogger(ArtifactUploadService.class);

    private final ArtifactTransfer transfer;
    private final ArtifactStore store;
    private final ArtifactCipher cipher;
    private final UploadStore uploads;
    private final BackupEvents events;
    private final Clock clock;
    private final UploadMetrics metrics;
    private final StreamedUploads streamed;

    public ArtifactUploadService(ArtifactTransfer transfer, ArtifactStore store, ArtifactCipher cipher,
            UploadStore uploads, BackupEvents events, Clock clock, UploadMetrics metrics,
            StreamedUploads streamed) {
        this.metrics = metrics;
        this.streamed = streamed;
        this.transfer = transfer;
        this.store = store;
        this.cipher = cipher;
        this.uploads = uploads;
        this.events = events;
        this.clock = clock;
    }

    /** Transfers, verifies and describes the artifact; business failures come back as {@link UploadOutcome.Failed}. */
    public UploadOutcome upload(ArtifactReady ready) {
        if (uploads.existsForRun(ready.runId())) {
            log.info("Run {} of {} is already stored; ignoring this ArtifactReady", ready.runId(), ready.target());
            return new UploadOutcome.AlreadyStored(ready.runId());
        }
        DumpKeys keys = RepositoryLayout.dump(ready.target(), ready.manifest().dumpStartedAt(), ready.runId());
        String location = ArtifactSource.redact(URI.create(ready.location()));
        long started = System.nanoTime();
        try {
            TransferResult result = streamedUpload(ready, keys.artifactKey()).orElse(null);
            if (result == null) {
                result = transfer.transfer(ready, keys.artifactKey());
                verify(keys.artifactKey(), result.ciphertextSize());
            }
            Stored stored = new Stored(ready.runId(), backupIdOf(ready.runId()), ready.agentId(), ready.target(),
                    store.bucket(), keys.artifactKey(), keys.manifestKey(), result.plaintextSize(),
                    result.plaintextSha256(), result.ciphertextSize(), result.ciphertextSha256(), cipher.scheme(),
                    result.keyId(), clock.instant(), ready.manifest());
            writeManifest(keys, stored);
            log.info("Stored run {} of {} from {}: {} bytes -> s3://{}/{} ({} bytes, key {}) in {} ms",
                    ready.runId(), ready.target(), location, result.plaintextSize(), store.bucket(),
                    keys.artifactKey(), result.ciphertextSize(), result.keyId(),
                    (System.nanoTime() - started) / 1_000_000);
            metrics.stored(Duration.ofNanos(System.nanoTime() - started));
            return new UploadOutcome.Succeeded(stored);
        } catch (StageFailure f) {
            metrics.failed(Duration.ofNanos(System.nanoTime() - started));
            log.warn("Run {} of {} failed at {} ({}): {}", ready.runId(), ready.target(), f.stage(),
                    f.retryable() ? "retryable" : "not retryable", f.reason());
            return new UploadOutcome.Failed(new BackupFailed(ready.runId(), ready.agentId(), ready.target(),
                    f.stage(), f.reason(), f.retryable(), clock.instant()));
        }
    }

    /**
     * The run's streamed upload, if there was one and it stored exactly this artifact (waits for it while it runs),
     * and the bucket holds its object with the size it wrote; empty: pull as usual, to the same key.
     */
    private Optional<TransferResult> streamedUpload(ArtifactReady ready, String key) throws StageFailure {
        Optional<TransferResult> result = streamed.settle(ready, key);
        if (result.isPresent()) {
            try {
                verify(key, result.get().ciphertextSize());
            } catch (StageFailure f) {
                log.warn("Streamed object of run {} of {} failed its check ({}); pulling it again", ready.runId(),
                        ready.target(), f.reason());
                return Optional.empty();
            }
        }
        return result;
    }

    /** Records the outcome and its event; must run in the transaction that marks the event processed. */
    public void record(UploadOutcome outcome) {
        if (outcome instanceof UploadOutcome.Succeeded s) {
            uploads.insert(s.stored());
            events.stored(s.stored());
        } else if (outcome instanceof UploadOutcome.Failed f) {
            events.failed(f.failed());
        }
        // AlreadyStored: nothing new to say
    }

    /** The bucket must report exactly the bytes written; otherwise the object is removed. */
    private void verify(String key, long written) throws StageFailure {
        OptionalLong size;
        try {
            size = store.sizeOf(key);
        } catch (ObjectStoreException e) {
            store.deleteQuietly(key);
            throw new StageFailure(FailureStage.VERIFY, e.getMessage(), e.retryable());
        }
        if (size.isEmpty()) {
            throw new StageFailure(FailureStage.VERIFY, "object " + key + " is missing right after its upload",
                    false);
        }
        if (size.getAsLong() != written) {
            store.deleteQuietly(key);
            throw new StageFailure(FailureStage.VERIFY, "size mismatch: wrote " + written + " bytes, bucket reports "
                    + size.getAsLong() + " for " + key, false);
        }
    }

    /** The manifest repeats the Stored event so the catalog can be rebuilt from the bucket alone. */
    private void writeManifest(DumpKeys keys, Stored stored) throws StageFailure {
        try {
            store.put(keys.manifestKey(), ManifestFormat.write(BackupManifest.of(stored)), ManifestFormat.CONTENT_TYPE);
        } catch (ObjectStoreException e) {
            // an artifact without its manifest is an orphan nobody can catalog
            store.deleteQuietly(keys.artifactKey());
            throw new StageFailure(FailureStage.UPLOAD, e.getMessage(), e.retryable());
        }
    }

    /** One run stores one backup: a redelivered run maps to the same id. */
    static UUID backupIdOf(UUID runId) {
        return UUID.nameUUIDFromBytes(("backbus-backup:" + runId).getBytes(StandardCharsets.UTF_8));
    }
}
