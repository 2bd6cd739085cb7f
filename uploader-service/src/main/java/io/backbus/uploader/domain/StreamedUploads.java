package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.FailureStage;
import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.layout.RepositoryLayout;
import io.backbus.uploader.config.ClaimProperties;
import io.backbus.uploader.config.UploaderProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Uploads an artifact while the agent still dumps it (ArtifactStreaming), and hands the result to the run's
 * ArtifactReady, which checks it instead of pulling again.
 *
 * <p>A run's upload is owned by whoever holds its {@code streamed_upload} row: the streamed upload
 * ({@code STREAMING}) or ArtifactReady's normal pull ({@code PULLING}); the other never writes the object key, so
 * two multipart uploads of one run never race. A claim names its owner (this instance's
 * {@code backbus.uploader.claims.instance-name}) and holds for one {@code lease}, renewed every third of it while the
 * owner works (ADR 0013). A streamed upload records {@code UPLOADED} (with the size and SHA-256 it computed) or
 * {@code FAILED}. It publishes nothing: a failed dump is reported by its agent, and ArtifactReady, if it comes,
 * pulls the normal way.
 *
 * <p>ArtifactReady ({@link #settle}) waits up to {@code streamingWait} for a live {@code STREAMING} claim to end,
 * then takes the run over (the streamed upload notices at its next renewal and aborts). A claim whose lease ran out
 * — its owner died — is taken over at once, and the multipart upload the dead owner left under the key is aborted
 * before the pull writes it again. A claim in this instance's own name that this process is not working on (the
 * process restarted under a fixed {@code instance-name}) counts as dead too.
 */
@Service
public class StreamedUploads implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamedUploads.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final boolean enabled;
    private final Duration wait;
    private final Duration lease;
    private final Duration renewal;
    private final String me;
    private final ArtifactStore store;
    private final ArtifactTransfer transfer;
    private final UploadStore uploads;
    private final StreamedUploadStore streams;
    private final Clock clock;
    /** Claims this process holds right now, per run; a claim in its name but not here is a previous life's. */
    private final ConcurrentHashMap<UUID, Integer> working = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "upload-claim-renewal");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    public StreamedUploads(UploaderProperties properties, ClaimProperties claims, ArtifactTransfer transfer,
            ArtifactStore store, UploadStore uploads, StreamedUploadStore streams, Clock clock) {
        this(properties.streaming(), properties.streamingWait(), claims, transfer, store, uploads, streams, clock);
        log.info("Streamed uploads (ArtifactStreaming): {}, ArtifactReady waits for them at most {}; upload claims "
                + "by {} with a {} lease", properties.streaming() ? "on" : "off, hints ignored",
                properties.streamingWait(), claims.instanceName(), claims.lease());
    }

    /**
     * @param enabled false ignores every ArtifactStreaming hint
     * @param wait    how long ArtifactReady waits for a live streamed upload before taking it over
     * @param claims  this instance's name and the lease of its claims
     */
    StreamedUploads(boolean enabled, Duration wait, ClaimProperties claims, ArtifactTransfer transfer,
            ArtifactStore store, UploadStore uploads, StreamedUploadStore streams, Clock clock) {
        this.enabled = enabled;
        this.wait = wait;
        this.lease = claims.lease();
        this.renewal = claims.renewInterval();
        this.me = claims.instanceName();
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

    /** What ArtifactReady is to do about its run, once any streamed upload of it has settled. */
    sealed interface Settlement {
    }

    /** Pull the artifact the normal way, holding {@code claim} (renewed until it is ended). */
    record Pull(Claim claim) implements Settlement {
    }

    /** The streamed upload stored exactly this artifact: no pull. */
    record Streamed(TransferResult result) implements Settlement {
    }

    /** Another live uploader holding the run stored it meanwhile. */
    record StoredElsewhere() implements Settlement {
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
        Instant now = clock.instant();
        // a dead owner's streaming claim is not taken over here: its ArtifactReady pulls the staged artifact
        Optional<Claim> claimed = claim(runId, StreamedUpload.State.STREAMING,
                () -> streams.claimForStreaming(runId, key, me, now, now.plus(lease)));
        if (claimed.isEmpty()) {
            log.info("Run {} of {} is claimed already; ignoring its ArtifactStreaming", runId, hint.target());
            return Result.SKIPPED;
        }
        Claim claim = claimed.get();
        String location = ArtifactSource.redact(URI.create(hint.location()));
        log.info("Streaming run {} of {} from {} to s3://{}/{} while it is dumped", runId, hint.target(), location,
                store.bucket(), key);
        long started = System.nanoTime();
        try {
            TransferResult result = transfer.stream(hint, key, claim);
            // the claim is held (and counted as this process's work) until the row says UPLOADED: stopped before,
            // a concurrent ArtifactReady took the finished stream for a dead one of this instance's and pulled again
            if (streams.markUploaded(runId, me, result.plaintextSize(), result.plaintextSha256(),
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
        claim.fail();
        log.warn("Streamed upload of run {} of {} failed, nothing stored; ArtifactReady will pull it: {}",
                hint.runId(), hint.target(), reason);
        return Result.FAILED;
    }

    /**
     * Before ArtifactReady pulls: whether to pull (holding the run's claim), or the streamed upload's result if it
     * stored exactly the artifact the event describes at {@code artifactKey}. Pull when there was no streamed upload,
     * a failed one, one taken over after {@code streamingWait}, one whose owner's lease ran out, or one that stored
     * something else (whose object is deleted). Blocks while a live uploader holds the run.
     */
    Settlement settle(ArtifactReady ready, String artifactKey) throws StageFailure {
        UUID runId = ready.runId();
        Instant deadline = clock.instant().plus(wait);
        boolean waited = false;
        while (true) {
            Instant now = clock.instant();
            Optional<Claim> pull = claim(runId, StreamedUpload.State.PULLING,
                    () -> streams.claimForPull(runId, artifactKey, me, now, now.plus(lease)));
            if (pull.isPresent()) {
                return new Pull(pull.get());
            }
            Optional<StreamedUpload> found = streams.find(runId);
            if (found.isEmpty()) {
                pause(runId); // someone else's row came and went: look again, but never in a busy loop
                continue;
            }
            StreamedUpload row = found.get();
            switch (row.state()) {
                case UPLOADED -> {
                    Optional<TransferResult> result = matching(ready, artifactKey, row);
                    if (result.isPresent()) {
                        return new Streamed(result.get());
                    }
                    // the row is FAILED now: take it over below
                }
                case FAILED -> {
                    Optional<Claim> taken = claim(runId, StreamedUpload.State.PULLING,
                            () -> takeOver(row, artifactKey, now));
                    if (taken.isPresent()) {
                        // normally nothing: a failed upload aborts itself; but its abort may have failed too
                        abortLeftovers(row, artifactKey);
                        return new Pull(taken.get());
                    }
                }
                case STREAMING, PULLING -> {
                    if (!isLive(row, now)) {
                        Optional<Claim> taken = claim(runId, StreamedUpload.State.PULLING,
                                () -> takeOver(row, artifactKey, now));
                        if (taken.isPresent()) {
                            log.warn("{} claim of run {} of {} by {} (lease until {}) {}; taking it over and "
                                    + "pulling", row.state(), runId, ready.target(), row.owner(), row.leaseUntil(),
                                    row.leaseHeldAt(now) ? "is this instance's own from before it restarted"
                                            : "ran out: its owner is gone");
                            abortLeftovers(row, artifactKey);
                            return new Pull(taken.get());
                        }
                        continue;
                    }
                    if (row.state() == StreamedUpload.State.PULLING) {
                        // another live replica pulls this run (a redelivery after a rebalance): it publishes
                        if (uploads.existsForRun(runId)) {
                            return new StoredElsewhere();
                        }
                    } else if (now.isAfter(deadline)) {
                        if (streams.markFailed(runId, StreamedUpload.State.STREAMING, now)) {
                            log.warn("Streamed upload of run {} of {} did not finish within {} of its ArtifactReady;"
                                    + " taking it over and pulling", runId, ready.target(), wait);
                        }
                        continue;
                    }
                    if (!waited) {
                        log.info("Run {} of {} is still {} by {} (lease until {}); waiting for it", runId,
                                ready.target(), row.state() == StreamedUpload.State.STREAMING ? "streaming"
                                        : "being pulled", row.owner(), row.leaseUntil());
                        waited = true;
                    }
                    pause(runId);
                }
            }
        }
    }

    /**
     * The streamed object of a run turned out unusable after {@link #settle} returned it (its size in the bucket is
     * wrong): the run is claimed for the normal pull instead.
     */
    Claim claimAfterStreamed(ArtifactReady ready, String artifactKey) throws StageFailure {
        streams.markFailed(ready.runId(), StreamedUpload.State.UPLOADED, clock.instant());
        if (settle(ready, artifactKey) instanceof Pull pull) {
            return pull.claim();
        }
        throw new StageFailure(FailureStage.TRANSFER, "run " + ready.runId() + " could not be claimed for a pull "
                + "after its streamed object failed its check", true);
    }

    /** A claim holds while its lease runs, unless it is in this instance's name and this process is not on it. */
    private boolean isLive(StreamedUpload row, Instant now) {
        if (!row.leaseHeldAt(now)) {
            return false;
        }
        return !(me.equals(row.owner()) && !working.containsKey(row.runId()));
    }

    private boolean takeOver(StreamedUpload row, String artifactKey, Instant now) {
        return streams.takeOverForPull(row, artifactKey, me, now, now.plus(lease));
    }

    /**
     * A claim of this process, counted as its work before {@code attempt} writes the row: an event of the same run
     * read meanwhile on another thread must see a live claim of this instance, not one left from before a restart
     * (it would take the run over, abort this upload and pull again).
     */
    private Optional<Claim> claim(UUID runId, StreamedUpload.State state, BooleanSupplier attempt) {
        Claim claim = new Claim(runId, state);
        boolean claimed = false;
        try {
            claimed = attempt.getAsBoolean();
        } finally {
            if (!claimed) {
                claim.stop();
            }
        }
        return claimed ? Optional.of(claim) : Optional.empty();
    }

    /**
     * The dead owner's multipart upload of the key is aborted before the pull writes the key again. Only a holder of
     * the run's claim writes its key, and the claim is ours now, so every upload open under the key is a leftover.
     * (On S3Mock an abort also deletes a complete object of the key; the pull replaces that object anyway.)
     */
    private void abortLeftovers(StreamedUpload row, String artifactKey) {
        String key = row.artifactKey() == null ? artifactKey : row.artifactKey();
        try {
            for (OpenUpload open : store.openUploads(key)) {
                if (open.key().equals(key) && store.abortQuietly(open)) {
                    log.warn("Aborted multipart upload {} of s3://{}/{} left by {} (started {})", open.uploadId(),
                            store.bucket(), key, row.owner(), open.initiated());
                }
            }
        } catch (ObjectStoreException e) {
            // the sweep finds it later (AbandonedUploads)
            log.warn("Could not list the multipart uploads {} left under s3://{}/{}: {}", row.owner(),
                    store.bucket(), key, e.getMessage());
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
        renewals.shutdownNow();
    }

    /**
     * This process's hold on a run's upload: renews the lease every third of it, and stops the transfer it guards
     * once the run was taken over. {@link #stop} when the work is done; {@link #fail} to hand the run on at once.
     */
    final class Claim implements StreamGuard {

        private final UUID runId;
        private final StreamedUpload.State state;
        private final ScheduledFuture<?> renewing;
        private volatile boolean lost;
        private final AtomicBoolean stopped = new AtomicBoolean();

        Claim(UUID runId, StreamedUpload.State state) {
            this.runId = runId;
            this.state = state;
            working.merge(runId, 1, Integer::sum);
            this.renewing = renewals.scheduleWithFixedDelay(this::renew, renewal.toMillis(), renewal.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        private void renew() {
            try {
                Instant now = clock.instant();
                if (!streams.renew(runId, state, me, now, now.plus(lease))) {
                    lost = true;
                }
            } catch (RuntimeException e) {
                // the database is away for a moment: the next renewal tries again; the lease runs down meanwhile
                log.warn("Renewing the claim on run {} failed: {}", runId, e.toString());
            }
        }

        /** Stops renewing; the claim lapses after its lease unless its state moved on. */
        void stop() {
            renewing.cancel(false);
            if (stopped.compareAndSet(false, true)) {
                // once per claim: a stream taken over by this instance's own pull must not drop the pull's hold
                working.computeIfPresent(runId, (id, n) -> n == 1 ? null : n - 1);
            }
        }

        /** Ends the claim as FAILED so that the run's next ArtifactReady claims it without waiting for the lease. */
        void fail() {
            stop();
            try {
                streams.markFailedBy(runId, state, me, clock.instant());
            } catch (RuntimeException e) {
                log.warn("Could not release the claim on run {} (it lapses after {}): {}", runId, lease,
                        e.toString());
            }
        }

        @Override
        public void checkReading() throws StageFailure {
            if (lost) {
                throw takenOver();
            }
        }

        @Override
        public void checkBeforeCompletion() throws StageFailure {
            if (lost || !streams.holds(runId, state, me)) {
                throw takenOver();
            }
        }

        /** Whether another uploader took the run over while this claim was held. */
        boolean lost() {
            return lost;
        }

        private StageFailure takenOver() {
            return new StageFailure(FailureStage.TRANSFER, "the claim on run " + runId + " was taken over by "
                    + (state == StreamedUpload.State.STREAMING ? "its ArtifactReady" : "another uploader"), true);
        }
    }
}
