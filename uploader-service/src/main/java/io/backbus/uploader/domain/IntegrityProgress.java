package io.backbus.uploader.domain;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.Topics;
import io.backbus.delivery.TelemetryPublisher;
import java.time.Clock;
import java.time.Duration;

/**
 * Publishes {@link RestoreProgress} (stage INTEGRITY: ciphertext bytes read and authenticated of the catalog's
 * ciphertext size) during a check pass, at most once per interval and once at the end. Telemetry, fire-and-forget.
 */
public class IntegrityProgress {

    private final TelemetryPublisher telemetry;
    private final Clock clock;
    private final Duration interval;

    public IntegrityProgress(TelemetryPublisher telemetry, Clock clock, Duration interval) {
        this.telemetry = telemetry;
        this.clock = clock;
        this.interval = interval;
    }

    Tracker start(RestoreRequested request) {
        return new Tracker(request, clock.millis() + interval.toMillis());
    }

    /** The progress of one check pass; used by the checking thread only. */
    final class Tracker {

        private final RestoreRequested request;
        private long due;

        private Tracker(RestoreRequested request, long due) {
            this.request = request;
            this.due = due;
        }

        void read(long ciphertextBytes) {
            long now = clock.millis();
            if (now >= due) {
                due = now + interval.toMillis();
                publish(ciphertextBytes);
            }
        }

        void finished(long ciphertextBytes) {
            publish(ciphertextBytes);
        }

        private void publish(long bytes) {
            telemetry.publish(Topics.RESTORE_PROGRESS, request.target(), EventTypes.RESTORE_PROGRESS,
                    request.restoreId().toString(), new RestoreProgress(request.restoreId(), request.target(),
                            RestoreStage.INTEGRITY, bytes, request.ciphertextSize(), clock.instant()));
        }
    }
}
