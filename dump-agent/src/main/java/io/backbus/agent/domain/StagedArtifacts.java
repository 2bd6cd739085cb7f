package io.backbus.agent.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Which staged artifacts exist and until when they are served. */
public interface StagedArtifacts {

    /** Records a staged artifact; a later attempt of the same run replaces the earlier one. */
    void save(StagedArtifact artifact);

    /** The run's artifact, unless deleted. */
    Optional<StagedArtifact> findLive(UUID runId);

    /** Up to {@code limit} live artifacts whose URLs expired before {@code now}. */
    List<StagedArtifact> findExpired(Instant now, int limit);

    /** Marks the run's artifact deleted; whether it was live. */
    boolean markDeleted(UUID runId, Instant when);
}
