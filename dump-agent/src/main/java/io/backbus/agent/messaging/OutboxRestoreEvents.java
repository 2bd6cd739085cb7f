package io.backbus.agent.messaging;

import io.backbus.agent.domain.RestoreEvents;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreCompleted;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import org.springframework.stereotype.Component;

/** Records a restore's outcome in the outbox of the current transaction: key = target, subject = restore id. */
@Component
class OutboxRestoreEvents implements RestoreEvents {

    private final Outbox outbox;

    OutboxRestoreEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void completed(RestoreCompleted completed) {
        outbox.publish(Topics.RESTORE_COMPLETED, completed.target(), EventTypes.RESTORE_COMPLETED,
                completed.restoreId().toString(), completed);
    }

    @Override
    public void failed(RestoreFailed failed) {
        outbox.publish(Topics.RESTORE_FAILED, failed.target(), EventTypes.RESTORE_FAILED,
                failed.restoreId().toString(), failed);
    }
}
