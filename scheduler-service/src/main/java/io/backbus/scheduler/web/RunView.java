package io.backbus.scheduler.web;

import io.backbus.contracts.FailureStage;
import io.backbus.scheduler.domain.Run;
import io.backbus.scheduler.domain.RunProgress;
import io.backbus.scheduler.domain.RunState;
import java.time.Instant;
import java.util.UUID;

/** A run as the REST API shows it; {@code trigger} uses the wire names (schedule, manual, retry). */
record RunView(UUID id, UUID planId, String target, String agent, RunState state, String trigger, int attempt,
        Instant scheduledFor, Instant requestedAt, Instant dumpedAt, Instant storedAt, Instant verifiedAt,
        Instant failedAt, FailureStage failureStage, String failureReason, String objectKey, UUID backupId,
        Long sizeBytes, Long bytesDumped, Long bytesUploaded, Long uploadTotalBytes, Instant progressAt) {

    static RunView of(Run run) {
        return of(run, RunProgress.NONE);
    }

    static RunView of(Run run, RunProgress progress) {
        return new RunView(run.id(), run.planId(), run.target(), run.agentId(), run.state(), run.trigger().wireName(),
                run.attempt(), run.scheduledFor(), run.requestedAt(), run.dumpedAt(), run.storedAt(), run.verifiedAt(),
                run.failedAt(), run.failureStage(), run.failureReason(), run.objectKey(), run.backupId(),
                run.sizeBytes(),
                progress.bytesDumped(), progress.bytesUploaded(), progress.uploadTotalBytes(), progress.progressAt());
    }
}
