package io.backbus.uploader.messaging;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Stored;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import io.backbus.uploader.domain.BackupEvents;
import org.springframework.stereotype.Component;

/** Records an upload's events in the outbox of the current transaction: key = target, subject = run id. */
@Component
class OutboxBackupEvents implements BackupEvents {

    private final Outbox outbox;

    OutboxBackupEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void stored(Stored stored) {
        outbox.publish(Topics.BACKUP_STORED, stored.target(), EventTypes.BACKUP_STORED, stored.runId().toString(),
                stored);
    }

    @Override
    public void failed(BackupFailed failed) {
        outbox.publish(Topics.BACKUP_FAILED, failed.target(), EventTypes.BACKUP_FAILED, failed.runId().toString(),
                failed);
    }
}
