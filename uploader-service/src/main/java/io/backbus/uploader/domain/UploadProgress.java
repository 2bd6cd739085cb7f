package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.Topics;
import io.backbus.delivery.TelemetryPublisher;
import java.time.Clock;
import java.time.Duration;

/**
 * Publishes {@link BackupProgress} (stage UPLOAD) while an artifact is transferred: at most once per interval as
 * bytes arrive, and once more at the end. Telemetry, fire-and-forget: a lost event changes only a progress display.
 */
public class UploadProgress {

    private final TelemetryPublisher telemetry;
    private final Clock clock;
    private final Duration interval;

    public UploadProgress(TelemetryPublisher telemetry, Clock clock, Duration interval) {
        this.telemetry = telemetry;
        this.clock = clock;
        this.interval = interval;
    }

    Tracker start(ArtifactReady ready) {
        return new Tracker(ready, clock.millis() + interval.toMillis());
    }

    /** The progress of one transfer; used by the transferring thread only. */
    final class Tracker {

        private final ArtifactReady ready;
        private long due;

        private Tracker(ArtifactReady ready, long due) {
            this.ready = ready;
            this.due = due;
        }

        /** {@code plaintextBytes} of the artifact were read so far; publishes if the interval has passed. */
        void read(long plaintextBytes) {
            long now = clock.millis();
            if (now >= due) {
                due = now + interval.toMillis();
                publish(plaintextBytes);
            }
        }

        /** The transfer is done: the final count. */
        void finished(long plaintextBytes) {
            publish(plaintextBytes);
        }

        private void publish(long bytes) {
            telemetry.publish(Topics.BACKUP_PROGRESS, ready.target(), EventTypes.BACKUP_PROGRESS,
                    ready.runId().toString(), new BackupProgress(ready.runId(), ready.agentId(), ready.target(),
                            FailureStage.UPLOAD, bytes, ready.sizeBytes(), clock.instant()));
        }
    }
}
