package io.backbus.scheduler.messaging;

import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import io.backbus.scheduler.domain.Plan;
import io.backbus.scheduler.domain.Run;
import io.backbus.scheduler.domain.RunEvents;
import org.springframework.stereotype.Component;

/** Records a run's events in the outbox of the current transaction: key = target, subject = run id. */
@Component
class OutboxRunEvents implements RunEvents {

    private final Outbox outbox;

    OutboxRunEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void requested(Plan plan, Run run) {
        outbox.publish(Topics.BACKUP_REQUESTED, run.target(), EventTypes.BACKUP_REQUESTED, run.id().toString(),
                new BackupRequested(run.id(), plan.id(), plan.name(), run.agentId(), run.target(), run.scheduledFor(),
                        run.requestedAt(), run.attempt(), run.trigger().wireName()));
    }

    @Override
    public void failed(Run run) {
        // retryable: a stalled run may well succeed when tried again
        outbox.publish(Topics.BACKUP_FAILED, run.target(), EventTypes.BACKUP_FAILED, run.id().toString(),
                new BackupFailed(run.id(), run.agentId(), run.target(), run.failureStage(), run.failureReason(), true,
                        run.failedAt()));
    }
}
