package io.backbus.uploader.messaging;

import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.Topics;
import io.backbus.delivery.TelemetryPublisher;
import io.backbus.uploader.domain.ProgressEvents;
import org.springframework.stereotype.Component;

/** Publishes progress straight to Kafka, fire-and-forget (ADR 0005): key = target, subject = run or restore id. */
@Component
class TelemetryProgressEvents implements ProgressEvents {

    private final TelemetryPublisher telemetry;

    TelemetryProgressEvents(TelemetryPublisher telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void backup(BackupProgress p) {
        telemetry.publish(Topics.BACKUP_PROGRESS, p.target(), EventTypes.BACKUP_PROGRESS, p.runId().toString(), p);
    }

    @Override
    public void restore(RestoreProgress p) {
        telemetry.publish(Topics.RESTORE_PROGRESS, p.target(), EventTypes.RESTORE_PROGRESS,
                p.restoreId().toString(), p);
    }
}
