package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.BackupStage;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.RestoreStage;
import io.backbus.streams.Progress;
import io.backbus.uploader.config.UploaderProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Progress telemetry of the uploader's streams, each throttled to one event per interval plus a final one:
 * {@link BackupProgress} (stage UPLOAD, artifact bytes read of its size) while an artifact is transferred, and
 * {@link RestoreProgress} (stage INTEGRITY, ciphertext bytes read and authenticated of the catalog's ciphertext size)
 * during a restore's check pass. Fire-and-forget: a lost event changes only a progress display.
 */
@Service
public class ProgressReports {

    private final ProgressEvents events;
    private final Clock clock;
    private final Duration interval;

    @Autowired
    public ProgressReports(ProgressEvents events, Clock clock, UploaderProperties properties) {
        this(events, clock, properties.progressInterval());
    }

    ProgressReports(ProgressEvents events, Clock clock, Duration interval) {
        this.events = events;
        this.clock = clock;
        this.interval = interval;
    }

    Progress start(ArtifactReady ready) {
        return Progress.every(interval, clock, bytes -> publish(ready, bytes));
    }

    private void publish(ArtifactReady ready, long bytes) {
        events.backup(new BackupProgress(ready.runId(), ready.agentId(), ready.target(), BackupStage.UPLOAD, bytes,
                ready.sizeBytes(), clock.instant()));
    }

    /** A streamed upload: the artifact's size is not known yet, so {@code totalBytes} is -1. */
    Progress start(ArtifactStreaming hint) {
        return Progress.every(interval, clock, bytes -> events.backup(new BackupProgress(hint.runId(),
                hint.agentId(), hint.target(), BackupStage.UPLOAD, bytes, -1, clock.instant())));
    }

    Progress start(RestoreRequested request) {
        return Progress.every(interval, clock, bytes -> publish(request, bytes));
    }

    private void publish(RestoreRequested request, long bytes) {
        events.restore(new RestoreProgress(request.restoreId(), request.target(), RestoreStage.INTEGRITY, bytes,
                request.ciphertextSize(), clock.instant()));
    }
}
