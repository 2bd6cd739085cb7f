package io.backbus.contracts;

/**
 * Logical, versioned CloudEvents {@code ce_type} values. Never a Java class name; a breaking change is a new
 * version ({@code .v2}) published beside the old one.
 */
public final class EventTypes {

    /** Type of {@link BackupRequested}. */
    public static final String BACKUP_REQUESTED = "backbus.backup.requested.v1";
    /** Type of {@link ArtifactReady}. */
    public static final String ARTIFACT_READY = "backbus.backup.artifact-ready.v1";
    /** Type of {@link ArtifactStreaming}. */
    public static final String ARTIFACT_STREAMING = "backbus.backup.artifact-streaming.v1";
    /** Type of {@link Stored}. */
    public static final String BACKUP_STORED = "backbus.backup.stored.v1";
    /** Type of {@link BackupFailed}. */
    public static final String BACKUP_FAILED = "backbus.backup.failed.v1";
    /** Type of {@link BackupProgress}. */
    public static final String BACKUP_PROGRESS = "backbus.backup.progress.v1";
    /** Type of {@link AgentAnnounced}. */
    public static final String AGENT_ANNOUNCED = "backbus.agent.announced.v1";
    /** Type of {@link RestoreRequested}. */
    public static final String RESTORE_REQUESTED = "backbus.restore.requested.v1";
    /** Type of {@link RestoreArtifactReady}. */
    public static final String RESTORE_ARTIFACT_READY = "backbus.restore.artifact-ready.v1";
    /** Type of {@link RestoreCompleted}. */
    public static final String RESTORE_COMPLETED = "backbus.restore.completed.v1";
    /** Type of {@link RestoreFailed}. */
    public static final String RESTORE_FAILED = "backbus.restore.failed.v1";
    /** Type of {@link RestoreVerified}. */
    public static final String RESTORE_VERIFIED = "backbus.restore.verified.v1";
    /** Type of {@link RestoreTestFailed}. */
    public static final String RESTORE_TEST_FAILED = "backbus.restore.test-failed.v1";
    /** Type of {@link RestoreProgress}. */
    public static final String RESTORE_PROGRESS = "backbus.restore.progress.v1";

    private EventTypes() {
    }
}
