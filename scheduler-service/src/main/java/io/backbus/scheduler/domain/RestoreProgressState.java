package io.backbus.scheduler.domain;

import io.backbus.contracts.RestoreStage;
import java.time.Instant;

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
}
