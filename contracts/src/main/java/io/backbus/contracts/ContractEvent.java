package io.backbus.contracts;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event of the contract with its {@code ce_type}, topic, record and JSON Schema: the one place that says
 * which schema a {@code ce_type} is validated against.
 */
public enum ContractEvent {

    /** {@link BackupRequested}. */
    BACKUP_REQUESTED(EventTypes.BACKUP_REQUESTED, Topics.BACKUP_REQUESTED, BackupRequested.class, "backup-requested.v1"),
    /** {@link ArtifactReady}. */
    ARTIFACT_READY(EventTypes.ARTIFACT_READY, Topics.ARTIFACT_READY, ArtifactReady.class, "artifact-ready.v1"),
    /** {@link ArtifactStreaming}. */
    ARTIFACT_STREAMING(EventTypes.ARTIFACT_STREAMING, Topics.ARTIFACT_STREAMING, ArtifactStreaming.class,
            "artifact-streaming.v1"),
    /** {@link Stored}. */
    BACKUP_STORED(EventTypes.BACKUP_STORED, Topics.BACKUP_STORED, Stored.class, "backup-stored.v1"),
    /** {@link BackupFailed}. */
    BACKUP_FAILED(EventTypes.BACKUP_FAILED, Topics.BACKUP_FAILED, BackupFailed.class, "backup-failed.v1"),
    /** {@link BackupProgress}. */
    BACKUP_PROGRESS(EventTypes.BACKUP_PROGRESS, Topics.BACKUP_PROGRESS, BackupProgress.class, "backup-progress.v1"),
    /** {@link AgentAnnounced}. */
    AGENT_ANNOUNCED(EventTypes.AGENT_ANNOUNCED, Topics.AGENT_ANNOUNCED, AgentAnnounced.class, "agent-announced.v1"),
    /** {@link RestoreRequested}. */
    RESTORE_REQUESTED(EventTypes.RESTORE_REQUESTED, Topics.RESTORE_REQUESTED, RestoreRequested.class,
            "restore-requested.v1"),
    /** {@link RestoreArtifactReady}. */
    RESTORE_ARTIFACT_READY(EventTypes.RESTORE_ARTIFACT_READY, Topics.RESTORE_ARTIFACT_READY,
            RestoreArtifactReady.class, "restore-artifact-ready.v1"),
    /** {@link RestoreCompleted}. */
    RESTORE_COMPLETED(EventTypes.RESTORE_COMPLETED, Topics.RESTORE_COMPLETED, RestoreCompleted.class,
            "restore-completed.v1"),
    /** {@link RestoreFailed}. */
    RESTORE_FAILED(EventTypes.RESTORE_FAILED, Topics.RESTORE_FAILED, RestoreFailed.class, "restore-failed.v1"),
    /** {@link RestoreVerified}. */
    RESTORE_VERIFIED(EventTypes.RESTORE_VERIFIED, Topics.RESTORE_VERIFIED, RestoreVerified.class,
            "restore-verified.v1"),
    /** {@link RestoreTestFailed}. */
    RESTORE_TEST_FAILED(EventTypes.RESTORE_TEST_FAILED, Topics.RESTORE_TEST_FAILED, RestoreTestFailed.class,
            "restore-test-failed.v1"),
    /** {@link RestoreProgress}. */
    RESTORE_PROGRESS(EventTypes.RESTORE_PROGRESS, Topics.RESTORE_PROGRESS, RestoreProgress.class,
            "restore-progress.v1");

    private static final Map<String, ContractEvent> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ContractEvent::type, Function.identity()));
    private static final Map<Class<?>, ContractEvent> BY_RECORD = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ContractEvent::recordType, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<?> recordType;
    private final String name;

    ContractEvent(String type, String topic, Class<?> recordType, String name) {
        this.type = type;
        this.topic = topic;
        this.recordType = recordType;
        this.name = name;
    }

    /** The event with this {@code ce_type}, if the contract has one. */
    public static Optional<ContractEvent> ofType(String ceType) {
        return Optional.ofNullable(ceType == null ? null : BY_TYPE.get(ceType));
    }

    /** The event carried by this record type, if it is a contract record. */
    public static Optional<ContractEvent> ofRecord(Class<?> recordType) {
        return Optional.ofNullable(BY_RECORD.get(recordType));
    }

    /** Its {@code ce_type}. */
    public String type() {
        return type;
    }

    /** The topic it is published on. */
    public String topic() {
        return topic;
    }

    /** The record its body decodes to. */
    public Class<?> recordType() {
        return recordType;
    }

    /** Classpath resource of its JSON Schema, e.g. {@code schemas/backup-failed.v1.schema.json}. */
    public String schemaResource() {
        return "schemas/" + name + ".schema.json";
    }

    /** Classpath resource of a valid sample body, e.g. {@code samples/backup-failed.v1.json}. */
    public String sampleResource() {
        return "samples/" + name + ".json";
    }
}
