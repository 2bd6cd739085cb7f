package io.backbus.uploader.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The checked restore artifacts this uploader serves ({@code GET /restore-artifacts/{restoreId}}). */
public interface RestoreArtifactStore {

    /** Records the artifact; a restore requested again replaces its earlier one (new URL, new expiry). */
    void save(RestoreArtifact artifact, Instant now);

    Optional<RestoreArtifact> find(UUID restoreId);

    /** Forgets artifacts whose URLs expired before {@code before}; returns how many. */
    int deleteExpiredBefore(Instant before);
}
