package io.backbus.scheduler.messaging;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.RestoreTestFailed;
import io.backbus.contracts.RestoreVerified;
import io.backbus.contracts.Topics;
import io.backbus.delivery.Outbox;
import io.backbus.scheduler.domain.BackupRef;
import io.backbus.scheduler.domain.Restore;
import io.backbus.scheduler.domain.RestoreEvents;
import org.springframework.stereotype.Component;

/**
 * Records a restore's events in the outbox of the current transaction: key = the target the backup was taken of
 * (the plan's target for restore tests), subject = restore id.
 */
@Component
class OutboxRestoreEvents implements RestoreEvents {

    private final Outbox outbox;

    OutboxRestoreEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void requested(Restore r) {
        BackupRef b = r.backup();
        if (b == null) {
            throw new IllegalStateException("restore " + r.id() + " has no backup to request");
        }
        outbox.publish(Topics.RESTORE_REQUESTED, r.target(), EventTypes.RESTORE_REQUESTED, r.id().toString(),
                new RestoreRequested(r.id(), b.backupId(), b.runId(), r.planId(), r.purpose(), r.target(), b.bucket(),
                        b.objectKey(), b.manifestKey(), b.plaintextSize(), b.plaintextSha256(), b.ciphertextSize(),
                        r.destination(), r.options(), r.smokeQueries(), r.requestedAt()));
    }

    @Override
    public void failed(Restore r) {
        outbox.publish(Topics.RESTORE_FAILED, r.target(), EventTypes.RESTORE_FAILED, r.id().toString(),
                new RestoreFailed(r.id(), r.backupId(), r.planId(), r.purpose(), r.target(), r.destination(),
                        r.stage(), r.reason(), r.destinationTouched(), r.finishedAt()));
    }

    @Override
    public void verified(Restore r) {
        outbox.publish(Topics.RESTORE_VERIFIED, r.target(), EventTypes.RESTORE_VERIFIED, r.id().toString(),
                new RestoreVerified(r.id(), r.planId(), r.backupId(), r.target(), r.destination(), r.rtoMillis(),
                        r.rtoTargetMillis(), r.verification().tablesChecked(), r.verification().rowsChecked(),
                        r.finishedAt()));
    }

    @Override
    public void testFailed(Restore r) {
        outbox.publish(Topics.RESTORE_TEST_FAILED, r.target(), EventTypes.RESTORE_TEST_FAILED, r.id().toString(),
                new RestoreTestFailed(r.id(), r.planId(), r.backupId(), r.target(), r.stage(), r.reason(),
                        r.rtoMillis(), r.rtoTargetMillis(), r.finishedAt()));
    }
}
