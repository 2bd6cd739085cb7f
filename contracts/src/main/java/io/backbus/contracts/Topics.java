package io.backbus.contracts;

import java.util.List;

/**
 * Kafka topic names, one per event type. The record key is the backup target name (agent id for
 * {@link AgentAnnounced}; for restore events the target the backup was taken of), so one target's events stay
 * ordered.
 */
public final class Topics {

    /** {@link BackupRequested}: the scheduler asks an agent to dump a target. */
    public static final String BACKUP_REQUESTED = "backbus.backup.requested";
    /** {@link ArtifactReady}: an agent staged a dump and tells where to pull it. */
    public static final String ARTIFACT_READY = "backbus.backup.artifact-ready";
    /** {@link ArtifactStreaming}: an agent serves an artifact while its dump is still running (a hint). */
    public static final String ARTIFACT_STREAMING = "backbus.backup.artifact-streaming";
    /** {@link Stored}: the uploader stored the encrypted artifact and its manifest. */
    public static final String BACKUP_STORED = "backbus.backup.stored";
    /** {@link BackupFailed}: any stage failed a run. */
    public static final String BACKUP_FAILED = "backbus.backup.failed";
    /** {@link BackupProgress}: bytes dumped / uploaded so far by a running backup. */
    public static final String BACKUP_PROGRESS = "backbus.backup.progress";
    /** {@link AgentAnnounced}: an agent says which targets it serves (compacted, keyed by agent id). */
    public static final String AGENT_ANNOUNCED = "backbus.agent.announced";

    /** {@link RestoreRequested}: the scheduler asks for a backup to be restored. */
    public static final String RESTORE_REQUESTED = "backbus.restore.requested";
    /** {@link RestoreArtifactReady}: the uploader checked a backup and serves it decrypted to the agent. */
    public static final String RESTORE_ARTIFACT_READY = "backbus.restore.artifact-ready";
    /** {@link RestoreCompleted}: the agent restored and verified a backup. */
    public static final String RESTORE_COMPLETED = "backbus.restore.completed";
    /** {@link RestoreFailed}: any stage failed a restore. */
    public static final String RESTORE_FAILED = "backbus.restore.failed";
    /** {@link RestoreVerified}: a plan's restore test passed. */
    public static final String RESTORE_VERIFIED = "backbus.restore.verified";
    /** {@link RestoreTestFailed}: a plan's restore test failed. */
    public static final String RESTORE_TEST_FAILED = "backbus.restore.test-failed";
    /** {@link RestoreProgress}: how far a running restore has come. */
    public static final String RESTORE_PROGRESS = "backbus.restore.progress";

    /** Every topic of the contract, for provisioning. */
    public static final List<String> ALL = List.of(BACKUP_REQUESTED, ARTIFACT_READY, ARTIFACT_STREAMING, BACKUP_STORED, BACKUP_FAILED,
            BACKUP_PROGRESS, AGENT_ANNOUNCED, RESTORE_REQUESTED, RESTORE_ARTIFACT_READY, RESTORE_COMPLETED,
            RESTORE_FAILED, RESTORE_VERIFIED, RESTORE_TEST_FAILED, RESTORE_PROGRESS);

    /**
     * The dead-letter topic of one consumer group on one topic: {@code <topic>.<group>.dlq}. It keeps the original
     * headers and adds the reason.
     */
    public static String deadLetter(String topic, String consumerGroup) {
        return topic + "." + consumerGroup + ".dlq";
    }

    private Topics() {
    }
}
