package io.backbus.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * An agent staged the artifact of a run and serves it at {@code location} until {@code expiresAt}.
 *
 * @param runId     the run
 * @param agentId   the agent holding the staged artifact
 * @param target    the target dumped
 * @param location  where to pull the bytes: an HMAC-signed, expiring {@code http(s)} URL, or {@code file://}
 *                  when agent and uploader share a volume. Carries no credentials beyond the signature.
 * @param sha256    hex SHA-256 of the artifact bytes as served
 * @param sizeBytes size of the artifact bytes as served
 * @param expiresAt when {@code location} stops working
 * @param manifest  what the artifact is
 */
public record ArtifactReady(UUID runId, String agentId, String target, String location, String sha256,
        long sizeBytes, Instant expiresAt, ArtifactManifest manifest) {
}
