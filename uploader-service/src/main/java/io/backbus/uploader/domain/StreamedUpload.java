package io.backbus.uploader.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code streamed_upload}: who uploads a run's artifact and, once a streamed upload is complete, what it
 * stored. The sizes, checksums and key id are null unless {@code state} is {@link State#UPLOADED}.
 *
 * @param runId            the run
 * @param state            see {@link State}
 * @param artifactKey      object key the streamed upload writes (null for {@link State#PULLING})
 * @param plaintextSize    bytes streamed from the agent
 * @param plaintextSha256  their hex SHA-256
 * @param ciphertextSize   bytes stored
 * @param ciphertextSha256 their hex SHA-256
 * @param keyId            the key that encrypted them
 * @param updatedAt        last change, or last renewal of its claim
 * @param owner            the uploader instance that holds (or last held) the run's claim; null in rows from before
 *                         claims had owners
 * @param leaseUntil       until when the owner's claim holds without being renewed; null counts as expired
 */
public record StreamedUpload(UUID runId, State state, String artifactKey, Long plaintextSize,
        String plaintextSha256, Long ciphertextSize, String ciphertextSha256, String keyId, Instant updatedAt,
        String owner, Instant leaseUntil) {

    /** Whether this row is a claim (someone uploads the run) whose lease has not run out at {@code now}. */
    public boolean leaseHeldAt(Instant now) {
        return (state == State.STREAMING || state == State.PULLING) && leaseUntil != null
                && !leaseUntil.isBefore(now);
    }

    /** Where a run's upload stands. */
    public enum State {
        /** the streamed upload runs (a claim) */
        STREAMING,
        /** the streamed object is complete, not yet checked against ArtifactReady */
        UPLOADED,
        /** the streamed upload failed, was taken over, or its object was discarded */
        FAILED,
        /** ArtifactReady pulls the normal way (a claim): it came first, or took the run over */
        PULLING
    }
}
