package io.backbus.agent.messaging;

import io.backbus.agent.domain.BackupEvents;
import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import org.springframework.stereotype.Component;

/** Records a run's outcome in the outbox of the current transaction: key = target, subject = run id. */
@Component
class OutboxBackupEvents implements BackupEvents {

    private final Outbox outbox;

    OutboxBackupEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void artifactReady(ArtifactReady ready) {
        outbox.publish(Topics.ARTIFACT_READY, ready.target(), EventTypes.ARTIFACT_READY, ready.runId().toString(),
                ready);
    }

    @Override
    public void failed(BackupFailed failed) {
        outbox.publish(Topics.BACKUP_FAILED, failed.target(), EventTypes.BACKUP_FAILED, failed.runId().toString(),
                failed);
    }
}
