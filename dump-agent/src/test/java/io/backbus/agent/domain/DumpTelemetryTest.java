package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.BackupStage;
import io.backbus.contracts.RestoreProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DumpTelemetryTest {

    private final List<BackupProgress> sent = new CopyOnWriteArrayList<>();
    private final TelemetryEvents events = new TelemetryEvents() {
        @Override
        public void backupProgress(BackupProgress progress) {
            sent.add(progress);
        }

        @Override
        public void restoreProgress(RestoreProgress progress) {
            throw new AssertionError("not a restore");
        }

        @Override
        public void artifactStreaming(ArtifactStreaming streaming) {
            throw new AssertionError("not streaming");
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DumpTelemetry telemetry = new DumpTelemetry("agent-1", events, registry, Clock.systemUTC(),
            Duration.ofMillis(20));

    @AfterEach
    void close() {
        telemetry.close();
    }

    @Test
    void publishesProgressWhileDumpingAndTheTotalAtTheEnd() {
        UUID runId = UUID.randomUUID();
        DumpTelemetry.Run run = telemetry.start(runId, "orders");
        run.read(1000);
        run.staged(400);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream().anyMatch(p -> p.bytes() == 1000));
        run.read(500);

        run.succeeded();

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream().anyMatch(p -> p.totalBytes() == 1500));
        BackupProgress last = sent.get(sent.size() - 1);
        assertThat(last).usingRecursiveComparison().ignoringFields("at")
                .isEqualTo(new BackupProgress(runId, "agent-1", "orders", BackupStage.DUMP, 1500, 1500, null));
        assertThat(sent.subList(0, sent.size() - 1)).allMatch(p -> p.totalBytes() == -1 && p.bytes() <= 1500);
        int afterEnd = sent.size();
        sleep(100);
        assertThat(sent).as("nothing after the final progress").hasSize(afterEnd);
        assertThat(registry.get(DumpTelemetry.DUMP_BYTES).counter().count()).isEqualTo(1500);
        assertThat(registry.get(DumpTelemetry.STAGED_BYTES).counter().count()).isEqualTo(400);
        assertThat(registry.get(DumpTelemetry.DURATION).tag("outcome", "success").timer().count()).isEqualTo(1);
        assertThat(registry.get(DumpTelemetry.DURATION).tag("outcome", "failure").timer().count()).isZero();
    }

    @Test
    void aFailedDumpRecordsItsDurationAndSendsNoFinalProgress() {
        DumpTelemetry.Run run = telemetry.start(UUID.randomUUID(), "orders");
        run.read(10);

        run.failed();
        run.succeeded();

        sleep(100);
        assertThat(sent).noneMatch(p -> p.totalBytes() != -1);
        assertThat(registry.get(DumpTelemetry.DURATION).tag("outcome", "failure").timer().count()).isEqualTo(1);
        assertThat(registry.get(DumpTelemetry.DURATION).tag("outcome", "success").timer().count()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
