package io.backbus.uploader.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who uploads a run's artifact ({@link StreamedUpload}). Each call commits on its own: a claim must be visible to
 * the other consumer thread (and other replicas) before the transfer it guards starts. State changes are
 * conditional on the state (and owner) they leave, so two uploaders never both win a run.
 *
 * <p>A claim ({@code STREAMING} or {@code PULLING}) names its {@code owner} and holds until {@code leaseUntil}; the
 * owner renews it while it works (ADR 0013).
 */
public interface StreamedUploadStore {

    /** Claims the run for a streamed upload to {@code artifactKey}; false if a row exists already. */
    boolean claimForStreaming(UUID runId, String artifactKey, String owner, Instant now, Instant leaseUntil);

    /** Claims the run for the normal pull if nobody did; false if a row exists (look at it with {@link #find}). */
    boolean claimForPull(UUID runId, String artifactKey, String owner, Instant now, Instant leaseUntil);

    /**
     * Takes the run over for the normal pull if its row is still exactly {@code seen} (same state, owner and
     * lease): a failed upload, or a claim whose owner is gone. False if the row changed meanwhile.
     */
    boolean takeOverForPull(StreamedUpload seen, String artifactKey, String owner, Instant now, Instant leaseUntil);

    Optional<StreamedUpload> find(UUID runId);

    /**
     * Renews {@code owner}'s claim in {@code state} on the run; false if it no longer holds it (taken over, ended,
     * or — for a streamed upload — taken over by this very instance's pull).
     */
    boolean renew(UUID runId, StreamedUpload.State state, String owner, Instant now, Instant leaseUntil);

    /** Whether {@code owner} still holds the run's claim in {@code state}. */
    boolean holds(UUID runId, StreamedUpload.State state, String owner);

    /** {@code owner}'s streamed upload completed its object; false if it had lost the run by then. */
    boolean markUploaded(UUID runId, String owner, long plaintextSize, String plaintextSha256, long ciphertextSize,
            String ciphertextSha256, String keyId, Instant now);

    /** Ends a run's upload as failed (or taken over) if it is still {@code from}; false otherwise. */
    boolean markFailed(UUID runId, StreamedUpload.State from, Instant now);

    /** Ends {@code owner}'s claim as failed, so that the run's next ArtifactReady claims it at once. */
    boolean markFailedBy(UUID runId, StreamedUpload.State from, String owner, Instant now);

    /** Whether some claim on {@code artifactKey} is held (its lease not run out) at {@code now}. */
    boolean liveClaimOn(String artifactKey, Instant now);
}
