package io.backbus.agent.domain;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * An artifact staged on this host.
 *
 * @param runId     the run
 * @param target    the target dumped
 * @param path      the staged file
 * @param sha256    hex SHA-256 of the file
 * @param sizeBytes size of the file
 * @param expiresAt when its URL stops working and the janitor may delete it
 * @param createdAt when it was staged
 */
public record StagedArtifact(UUID runId, String target, Path path, String sha256, long sizeBytes, Instant expiresAt,
        Instant createdAt) {
}
