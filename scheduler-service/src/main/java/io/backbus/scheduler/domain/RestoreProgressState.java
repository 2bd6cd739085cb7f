package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreStage;
import java.time.Instant;
import java.util.List;

/**
 * How far a restore has come, from RestoreProgress telemetry; every field null until reported.
 *
 * @param stage      INTEGRITY (uploader's check pass), TRANSFER (agent receiving) or RESTORE (pg_restore entries)
 * @param bytes      units done in that stage
 * @param totalBytes units in all, or null when unknown
 * @param at         when measured
 */
public record RestoreProgressState(RestoreStage stage, Long bytes, Long totalBytes, Instant at) {

    public static final RestoreProgressState NONE = new RestoreProgressState(null, null, null, null);

    /** The stages that report progress, in the order a restore runs them. */
    public static final List<RestoreStage> STAGES = List.of(RestoreStage.INTEGRITY, RestoreStage.TRANSFER,
            RestoreStage.RESTORE);

    /** The progress stages a restore runs before {@code stage}: progress of {@code stage} supersedes theirs. */
    public static List<RestoreStage> stagesBefore(RestoreStage stage) {
        int at = STAGES.indexOf(stage);
        return at < 0 ? List.of() : STAGES.subList(0, at);
    }
}
