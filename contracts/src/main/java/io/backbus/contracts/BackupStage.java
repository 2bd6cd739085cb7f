package io.backbus.contracts;

/**
 * The stage of a running backup that reports progress ({@link BackupProgress} telemetry): the agent dumps, then the
 * uploader uploads. Not a {@link FailureStage}: a run fails at more stages than report progress. The names are the
 * wire values of {@code backup-progress.v1}'s {@code stage}.
 */
public enum BackupStage {
    /** Bytes pg_dump has produced so far. */
    DUMP,
    /** Bytes of the staged artifact the uploader has read, encrypted and sent on. */
    UPLOAD
}
