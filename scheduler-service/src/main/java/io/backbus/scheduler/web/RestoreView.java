package io.backbus.scheduler.web;

import io.backbus.contracts.RestoreDestination;
import io.backbus.contracts.RestoreOptions;
import io.backbus.contracts.RestorePurpose;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.RestoreVerification;
import io.backbus.contracts.SmokeQuery;
import io.backbus.scheduler.domain.Restore;
import io.backbus.scheduler.domain.RestoreProgressState;
import io.backbus.scheduler.domain.RestoreState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A restore as the REST API shows it. {@code trigger} is {@code manual}, {@code cron} or {@code after-backups};
 * {@code stage} and {@code reason} are set when FAILED; {@code rtoMillis} runs from the request to the scheduler's
 * receipt of RestoreCompleted, {@code durationMillis} is the agent's own; {@code progress} fields are null until
 * reported.
 */
record RestoreView(UUID id, UUID backupId, UUID runId, String target, String objectKey,
        RestoreDestination destination, RestoreOptions options, List<SmokeQuery> smokeQueries,
        RestorePurpose purpose, String trigger, UUID planId, RestoreState state, RestoreStage stage, String reason,
        boolean destinationTouched, Boolean destinationDropped, Instant requestedAt, Instant finishedAt,
        Long rtoMillis, Long rtoTargetMillis, Long durationMillis, RestoreVerification verification,
        ProgressView progress) {

    /** Progress telemetry of a running restore. */
    record ProgressView(RestoreStage stage, Long bytes, Long totalBytes, Instant at) {
    }

    static RestoreView of(Restore r, RestoreProgressState progress) {
        return new RestoreView(r.id(), r.backupId(), r.backup() == null ? null : r.backup().runId(), r.target(),
                r.backup() == null ? null : r.backup().objectKey(), r.destination(), r.options(), r.smokeQueries(),
                r.purpose(), r.trigger().wireName(), r.planId(), r.state(), r.stage(), r.reason(),
                r.destinationTouched(), r.destinationDropped(), r.requestedAt(), r.finishedAt(), r.rtoMillis(),
                r.rtoTargetMillis(), r.durationMillis(), r.verification(),
                new ProgressView(progress.stage(), progress.bytes(), progress.totalBytes(), progress.at()));
    }
}
