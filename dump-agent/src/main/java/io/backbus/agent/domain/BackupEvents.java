package io.backbus.agent.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupFailed;

/** The events a backup run's outcome causes; recorded in the transaction of the change (the outbox). */
public interface BackupEvents {

    /** The run's artifact is staged and may be pulled. */
    void artifactReady(ArtifactReady ready);

    /** The run failed on this agent. */
    void failed(BackupFailed failed);
}
