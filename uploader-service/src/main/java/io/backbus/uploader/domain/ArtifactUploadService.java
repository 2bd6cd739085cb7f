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
        StreamedUploads.Claim claim = null;
        try {
            TransferResult result;
            StreamedUploads.Settlement settled = streamed.settle(ready, keys.artifactKey());
            if (settled instanceof StreamedUploads.StoredElsewhere) {
                log.info("Run {} of {} was stored by the uploader that held it; ignoring this ArtifactReady",
                        ready.runId(), ready.target());
                return new UploadOutcome.AlreadyStored(ready.runId());
            }
            result = settled instanceof StreamedUploads.Streamed s ? checkStreamed(ready, keys.artifactKey(), s)
                    : null;
            if (result == null) {
                claim = settled instanceof StreamedUploads.Pull p ? p.claim() : streamed.claimAfterStreamed(ready,
                        keys.artifactKey());
                result = transfer.transfer(ready, keys.artifactKey(), claim);
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
            if (claim != null) {
                // the lease lapses by itself; the upload row (recorded next) is what tells the run is stored
                claim.stop();
            }
            return new UploadOutcome.Succeeded(stored);
        } catch (StageFailure f) {
            metrics.failed(Duration.ofNanos(System.nanoTime() - started));
            if (claim != null && claim.lost()) {
                // not marked processed yet: the new holder may be handling this very event, and it must not find it
                // processed before it records its Stored; so settle again (waits for the holder, or takes over)
                log.warn("Run {} of {} was taken over by another uploader while this one pulled it ({}); waiting "
                        + "for that one", ready.runId(), ready.target(), f.reason());
                claim.stop();
                return upload(ready);
            }
            if (claim != null) {
                claim.fail(); // the run's next ArtifactReady claims it at once
            }
            log.warn("Run {} of {} failed at {} ({}): {}", ready.runId(), ready.target(), f.stage(),
                    f.retryable() ? "retryable" : "not retryable", f.reason());
            return new UploadOutcome.Failed(new BackupFailed(ready.runId(), ready.agentId(), ready.target(),
                    f.stage(), f.reason(), f.retryable(), clock.instant()));
        } catch (RuntimeException e) {
            if (claim != null) {
                claim.fail();
            }
            throw e;
        }
    }

    /**
     * The run's streamed upload stored exactly this artifact: its result if the bucket holds its object with the
     * size it wrote; null: pull as usual, to the same key.
     */
    private TransferResult checkStreamed(ArtifactReady ready, String key, StreamedUploads.Streamed streamedUpload) {
        try {
            verify(key, streamedUpload.result().ciphertextSize());
            return streamedUpload.result();
        } catch (StageFailure f) {
            log.warn("Streamed object of run {} of {} failed its check ({}); pulling it again", ready.runId(),
                    ready.target(), f.reason());
            return null;
        }
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
