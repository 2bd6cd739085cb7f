package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.FailureStage;
import io.backbus.repository.layout.RepositoryLayout;
import io.backbus.uploader.config.UploaderProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Uploads an artifact while the agent still dumps it (ArtifactStreaming), and hands the result to the run's
 * ArtifactReady, which checks it instead of pulling again.
 *
 * <p>A run's upload is owned by whoever inserts its {@code streamed_upload} row first: the streamed upload
 * ({@code STREAMING}) or ArtifactReady's normal pull ({@code PULLING}); the other never writes the object key, so
 * two multipart uploads of one run never race. A streamed upload touches its row as a heartbeat while it runs and
 * records {@code UPLOADED} (with the size and SHA-256 it computed) or {@code FAILED}. It publishes nothing: a failed
 * dump is reported by its agent, and ArtifactReady, if it comes, pulls the normal way.
 *
 * <p>ArtifactReady ({@link #settle}) waits up to {@code streamingWait} for a {@code STREAMING} row to end, then
 * takes the run over (the streamed upload notices at its next heartbeat and aborts); a row not touched for
 * {@code streamingWait} (its uploader crashed) counts as failed at once.
 */
@Service
public class StreamedUploads implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamedUploads.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final boolean enabled;
    private final Duration wait;
    private final Duration heartbeat;
    private final ArtifactTransfer transfer;
    private final ArtifactStore store;
    private final UploadStore uploads;
    private final StreamedUploadStore streams;
    private final Clock clock;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "streamed-upload-heartbeat");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    public StreamedUploads(UploaderProperties properties, ArtifactTransfer transfer, ArtifactStore store,
            UploadStore uploads, StreamedUploadStore streams, Clock clock) {
        this(properties.streaming(), properties.streamingWait(), transfer, store, uploads, streams, clock);
        log.info("Streamed uploads (ArtifactStreaming): {}, ArtifactReady waits for them at most {}",
                properties.streaming() ? "on" : "off, hints ignored", properties.streamingWait());
    }

    /**
     * @param enabled false ignores every ArtifactStreaming hint
     * @param wait    how long ArtifactReady waits for a running streamed upload; also the age after which a
     *                streamed upload's row, untouched, counts as failed
     */
    StreamedUploads(boolean enabled, Duration wait, ArtifactTransfer transfer, ArtifactStore store,
            UploadStore uploads, StreamedUploadStore streams, Clock clock) {
        this.enabled = enabled;
        this.wait = wait;
        // several heartbeats per wait, so a live upload is never mistaken for a crashed one
        this.heartbeat = Duration.ofMillis(Math.max(10, Math.min(wait.toMillis() / 4, 5_000)));
        this.transfer = transfer;
        this.store = store;
        this.uploads = uploads;
        this.streams = streams;
        this.clock = clock;
    }

    /** What handling one ArtifactStreaming came to. */
    public enum Result {
        /** {@code backbus.uploader.streaming} is false */
        IGNORED,
        /** the run is stored, or its upload is owned already (a duplicate hint, or ArtifactReady came first) */
        SKIPPED,
        /** the streamed object is complete and recorded {@code UPLOADED} */
        UPLOADED,
        /** the streamed upload failed (or was taken over); its multipart upload was aborted; recorded FAILED */
        FAILED
    }

    /**
     * Claims the run and streams its live artifact into the bucket; runs outside any transaction (as long as the
     * dump). Publishes nothing.
     */
    public Result stream(ArtifactStreaming hint) {
        UUID runId = hint.runId();
        if (!enabled) {
            log.info("Ignoring ArtifactStreaming for run {} of {}: backbus.uploader.streaming is false", runId,
                    hint.target());
            return Result.IGNORED;
        }
        if (uploads.existsForRun(runId)) {
            log.info("Run {} of {} is already stored; ignoring its ArtifactStreaming", runId, hint.target());
            return Result.SKIPPED;
        }
        String key = RepositoryLayout.dump(hint.target(), hint.dumpStartedAt(), runId).artifactKey();
        if (!streams.claimForStreaming(runId, key, clock.instant())) {
            log.info("Run {} of {} is claimed already; ignoring its ArtifactStreaming", runId, hint.target());
            return Result.SKIPPED;
        }
        String location = ArtifactSource.redact(URI.create(hint.location()));
        log.info("Streaming run {} of {} from {} to s3://{}/{} while it is dumped", runId, hint.target(), location,
                store.bucket(), key);
        long started = System.nanoTime();
        Claim claim = new Claim(runId);
        try {
            TransferResult result = transfer.stream(hint, key, claim);
            claim.stop();
            if (streams.markUploaded(runId, result.plaintextSize(), result.plaintextSha256(),
                    result.ciphertextSize(), result.ciphertextSha256(), result.keyId(), clock.instant())) {
                log.info("Streamed run {} of {}: {} bytes (sha256 {}) -> {} bytes in {} ms; awaiting ArtifactReady",
                        runId, hint.target(), result.plaintextSize(), result.plaintextSha256(),
                        result.ciphertextSize(), (System.nanoTime() - started) / 1_000_000);
                return Result.UPLOADED;
            }
            // taken over between the last check and the completion: the pull that owns the run rewrites the key
            log.warn("Streamed run {} of {} completed after its ArtifactReady took it over; the normal pull "
                    + "replaces the object", runId, hint.target());
            return Result.FAILED;
        } catch (StageFailure f) {
            return failed(hint, claim, f.stage() + ": " + f.reason());
        } catch (RuntimeException e) {
            // anything unexpected: the row must still leave STREAMING, or ArtifactReady waits for nothing
            return failed(hint, claim, e.toString());
        } finally {
            claim.stop();
        }
    }

    private Result failed(ArtifactStreaming hint, Claim claim, String reason) {
        claim.stop();
        streams.markFailed(hint.runId(), StreamedUpload.State.STREAMING, clock.instant());
        log.warn("Streamed upload of run {} of {} failed, nothing stored; ArtifactReady will pull it: {}",
                hint.runId(), hint.target(), reason);
        return Result.FAILED;
    }

    /**
     * Before ArtifactReady pulls: the streamed upload's result, if it stored exactly the artifact the event
     * describes at {@code artifactKey}; empty if the normal pull must run (no streamed upload, a failed one, one
     * taken over after {@code streamingWait}, or one that stored something else, whose object is deleted).
     * Blocks while a streamed upload of the run is running.
     */
    Optional<TransferResult> settle(ArtifactReady ready, String artifactKey) throws StageFailure {
        UUID runId = ready.runId();
        if (streams.claimForPull(runId, clock.instant())) {
            return Optional.empty();
        }
        Instant deadline = clock.instant().plus(wait);
        boolean waited = false;
        while (true) {
            Optional<StreamedUpload> found = streams.find(runId);
            if (found.isEmpty()) {
                // the row cannot go away; if it did, claim again and pull
                if (streams.claimForPull(runId, clock.instant())) {
                    return Optional.empty();
                }
                pause(runId); // someone else's row came and went: look again, but never in a busy loop
                continue;
            }
            StreamedUpload row = found.get();
            switch (row.state()) {
                case PULLING, FAILED -> {
                    return Optional.empty();
                }
                case UPLOADED -> {
                    return matching(ready, artifactKey, row);
                }
                case STREAMING -> {
                    Instant now = clock.instant();
                    if (row.updatedAt().isBefore(now.minus(wait))) {
                        if (streams.markFailed(runId, StreamedUpload.State.STREAMING, now)) {
                            log.warn("Streamed upload of run {} of {} has not been heard of since {}; pulling it",
                                    runId, ready.target(), row.updatedAt());
                            return Optional.empty();
                        }
                        continue;
                    }
                    if (now.isAfter(deadline)) {
                        if (streams.markFailed(runId, StreamedUpload.State.STREAMING, now)) {
                            log.warn("Streamed upload of run {} of {} did not finish within {} of its ArtifactReady;"
                                    + " taking it over and pulling", runId, ready.target(), wait);
                            return Optional.empty();
                        }
                        continue;
                    }
                    if (!waited) {
                        log.info("Run {} of {} is still streaming; waiting for it (at most {})", runId,
                                ready.target(), wait);
                        waited = true;
                    }
                    pause(runId);
                }
            }
        }
    }

    private Optional<TransferResult> matching(ArtifactReady ready, String artifactKey, StreamedUpload row) {
        if (row.plaintextSize() == ready.sizeBytes() && row.plaintextSha256().equalsIgnoreCase(ready.sha256())
                && row.artifactKey().equals(artifactKey)) {
            log.info("Run {} of {} was uploaded while dumped and matches its ArtifactReady ({} bytes, sha256 {}); "
                    + "not pulling again", ready.runId(), ready.target(), row.plaintextSize(), row.plaintextSha256());
            return Optional.of(new TransferResult(row.plaintextSize(), row.plaintextSha256(), row.ciphertextSize(),
                    row.ciphertextSha256(), row.keyId()));
        }
        log.warn("Streamed upload of run {} of {} differs from its ArtifactReady: streamed {} bytes sha256 {} to {}, "
                + "ArtifactReady says {} bytes sha256 {} at {}; deleting the streamed object and pulling again",
                ready.runId(), ready.target(), row.plaintextSize(), row.plaintextSha256(), row.artifactKey(),
                ready.sizeBytes(), ready.sha256(), artifactKey);
        store.deleteQuietly(row.artifactKey());
        streams.markFailed(ready.runId(), StreamedUpload.State.UPLOADED, clock.instant());
        return Optional.empty();
    }

    private static void pause(UUID runId) throws StageFailure {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure(FailureStage.TRANSFER, "interrupted while waiting for the streamed upload of run "
                    + runId, true);
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }

    /** A running streamed upload's hold on its run: a heartbeat, and the checks that stop it once taken over. */
    private final class Claim implements StreamGuard {

        private final UUID runId;
        private final ScheduledFuture<?> beating;
        private volatile boolean lost;

        Claim(UUID runId) {
            this.runId = runId;
            this.beating = heartbeats.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        private void beat() {
            try {
                if (!streams.touchStreaming(runId, clock.instant())) {
                    lost = true;
                }
            } catch (RuntimeException e) {
                // the database is away for a moment: the next beat tries again; the row ages meanwhile
                log.warn("Heartbeat of the streamed upload of run {} failed: {}", runId, e.toString());
            }
        }

        void stop() {
            beating.cancel(false);
        }

        @Override
        public void checkReading() throws StageFailure {
            if (lost) {
                throw takenOver();
            }
        }

        @Override
        public void checkBeforeCompletion() throws StageFailure {
            if (lost || !streams.isStreaming(runId)) {
                throw takenOver();
            }
        }

        private StageFailure takenOver() {
            return new StageFailure(FailureStage.TRANSFER, "run " + runId + " was taken over by its ArtifactReady",
                    false);
        }
    }
}
