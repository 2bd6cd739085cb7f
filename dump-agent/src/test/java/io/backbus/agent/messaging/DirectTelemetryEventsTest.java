package io.backbus.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.BackupStage;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreProgress;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.Topics;
import io.backbus.delivery.TelemetryPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hints go to their topics keyed by target, with the run or restore as subject. */
class DirectTelemetryEventsTest {

    private record Sent(String topic, String key, String type, String subject, Object event) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final DirectTelemetryEvents events = new DirectTelemetryEvents(
            new TelemetryPublisher(null, null, Clock.systemUTC(), "test") {
                @Override
                public void publish(String topic, String key, String type, String subject, Object event) {
                    sent.add(new Sent(topic, key, type, subject, event));
                }
            });
    private final UUID id = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-11-23T02:00:00Z");

    @Test
    void sendsBackupProgressKeyedByTargetForTheRun() {
        BackupProgress progress = new BackupProgress(id, "agent-1", "orders", BackupStage.DUMP, 10, -1, now);

        events.backupProgress(progress);

        assertThat(sent).containsExactly(new Sent(Topics.BACKUP_PROGRESS, "orders", EventTypes.BACKUP_PROGRESS,
                id.toString(), progress));
    }

    @Test
    void sendsRestoreProgressKeyedByTargetForTheRestore() {
        RestoreProgress progress = new RestoreProgress(id, "orders", RestoreStage.TRANSFER, 10, 20, now);

        events.restoreProgress(progress);

        assertThat(sent).containsExactly(new Sent(Topics.RESTORE_PROGRESS, "orders", EventTypes.RESTORE_PROGRESS,
                id.toString(), progress));
    }

    @Test
    void sendsArtifactStreamingKeyedByTargetForTheRun() {
        ArtifactStreaming streaming = new ArtifactStreaming(id, "agent-1", "orders", "http://agent/live", now,
                now.plusSeconds(60));

        events.artifactStreaming(streaming);

        assertThat(sent).containsExactly(new Sent(Topics.ARTIFACT_STREAMING, "orders",
                EventTypes.ARTIFACT_STREAMING, id.toString(), streaming));
    }
}
