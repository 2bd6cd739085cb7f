package io.backbus.agent.domain;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.RestoreProgress;

/**
 * Hints sent at once, not through the outbox: a dump or restore runs inside the listener's transaction, so an outbox
 * row would be relayed only after it ends, and losing a hint loses nothing. Never throws into the caller's work.
 */
public interface TelemetryEvents {

    void backupProgress(BackupProgress progress);

    void restoreProgress(RestoreProgress progress);

    /** A dump may be read while it is written (a fire-and-forget hint to the uploader). */
    void artifactStreaming(ArtifactStreaming streaming);
}
