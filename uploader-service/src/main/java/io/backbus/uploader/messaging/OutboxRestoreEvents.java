package io.backbus.uploader.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import io.backbus.uploader.domain.RestoreEvents;
import org.springframework.stereotype.Component;

/** Records a restore's events in the outbox of the current transaction: key = target, subject = restore id. */
@Component
class OutboxRestoreEvents implements RestoreEvents {

    private final Outbox outbox;

    OutboxRestoreEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void artifactReady(RestoreArtifactReady ready) {
        outbox.publish(Topics.RESTORE_ARTIFACT_READY, ready.target(), EventTypes.RESTORE_ARTIFACT_READY,
                ready.restoreId().toString(), ready);
    }

    @Override
    public void failed(RestoreFailed failed) {
        outbox.publish(Topics.RESTORE_FAILED, failed.target(), EventTypes.RESTORE_FAILED,
                failed.restoreId().toString(), failed);
    }
}
