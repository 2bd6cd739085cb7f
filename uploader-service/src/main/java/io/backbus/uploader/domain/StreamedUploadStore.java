package io.backbus.uploader.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Who uploads a run's artifact ({@link StreamedUpload}). Each call commits on its own: a claim must be visible to
 * the other consumer thread (and other replicas) before the transfer it guards starts. State changes are
 * conditional on the state they leave, so a streamed upload and the ArtifactReady that takes it over never both win.
 */
public interface StreamedUploadStore {

    /** Claims the run for a streamed upload to {@code artifactKey}; false if anyone claimed it before. */
    boolean claimForStreaming(UUID runId, String artifactKey, Instant now);

    /** Claims the run for the normal pull if nobody did; false if a row exists (look at it with {@link #find}). */
    boolean claimForPull(UUID runId, Instant now);

    Optional<StreamedUpload> find(UUID runId);

    /** Heartbeat of a running streamed upload; false if it no longer holds the run. */
    boolean touchStreaming(UUID runId, Instant now);

    /** Whether the run is still held by its streamed upload. */
    boolean isStreaming(UUID runId);

    /** The streamed upload completed its object; false if it had lost the run by then. */
    boolean markUploaded(UUID runId, long plaintextSize, String plaintextSha256, long ciphertextSize,
            String ciphertextSha256, String keyId, Instant now);

    /** Ends a run's streamed upload as failed (or taken over) if it is still {@code from}; false otherwise. */
    boolean markFailed(UUID runId, StreamedUpload.State from, Instant now);
}
