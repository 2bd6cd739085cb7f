package io.backbus.scheduler.domain;

/**
 * The stage of a running backup that reports progress (BackupProgress telemetry): the agent dumps, then the uploader
 * uploads. Not a {@code FailureStage}: a run fails at more stages than report progress.
 */
public enum BackupStage {
    /** Bytes pg_dump has produced so far. */
    DUMP,
    /** Bytes of the staged artifact the uploader has read, encrypted and sent on. */
    UPLOAD
}
