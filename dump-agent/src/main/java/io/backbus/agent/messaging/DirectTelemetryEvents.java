package io.backbus.agent.messaging;

import io.backbus.agent.domain.TelemetryEvents;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.Topics;
import io.backbus.delivery.TelemetryPublisher;
import org.springframework.stereotype.Component;

/** Sends hints straight to the broker (no outbox): key = target, subject = run or restore id. */
@Component
class DirectTelemetryEvents implements TelemetryEvents {

    private final TelemetryPublisher publisher;

    DirectTelemetryEvents(TelemetryPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void backupProgress(BackupProgress progress) {
        publisher.publish(Topics.BACKUP_PROGRESS, progress.target(), EventTypes.BACKUP_PROGRESS,
                progress.runId().toString(), progress);
    }

    @Override
    public void restoreProgress(RestoreProgress progress) {
        publisher.publish(Topics.RESTORE_PROGRESS, progress.target(), EventTypes.RESTORE_PROGRESS,
                progress.restoreId().toString(), progress);
    }

    @Override
    public void artifactStreaming(ArtifactStreaming streaming) {
        publisher.publish(Topics.ARTIFACT_STREAMING, streaming.target(), EventTypes.ARTIFACT_STREAMING,
                streaming.runId().toString(), streaming);
    }
}
