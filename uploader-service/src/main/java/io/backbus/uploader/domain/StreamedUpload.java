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
 * @param updatedAt        last change, or last heartbeat of a running streamed upload
 */
public record StreamedUpload(UUID runId, State state, String artifactKey, Long plaintextSize,
        String plaintextSha256, Long ciphertextSize, String ciphertextSha256, String keyId, Instant updatedAt) {

    /** Where a run's upload stands. */
    public enum State {
        /** the streamed upload runs */
        STREAMING,
        /** the streamed object is complete, not yet checked against ArtifactReady */
        UPLOADED,
        /** the streamed upload failed, was taken over, or its object was discarded */
        FAILED,
        /** ArtifactReady came first and pulls the normal way */
        PULLING
    }
}
