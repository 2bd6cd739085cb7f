package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.agent.storage.StagingArea;
import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.BackupProgress;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.RestoreProgress;
import io.backbus.crypto.UrlSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dump is performed without recording anything; its outcome is recorded through the ports afterwards. */
class BackupServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final DumpTarget orders = new DumpTarget("orders", "db1", 5432, "orders", "backup",
            new PasswordSource.LibpqDefault());
    /** A target of a kind no dumper of this agent handles. */
    private final DumpTarget files = new DumpTarget("files", "db1", 5432, "files", "backup",
            new PasswordSource.LibpqDefault(), "tar");
    private final List<Object> published = new ArrayList<>();
    private final List<StagedArtifact> saved = new ArrayList<>();
    private final BackupEvents events = new BackupEvents() {
        @Override
        public void artifactReady(ArtifactReady ready) {
            published.add(ready);
        }

        @Override
        public void failed(BackupFailed failed) {
            published.add(failed);
        }
    };
    private final StagedArtifacts artifacts = new StagedArtifacts() {
        @Override
        public void save(StagedArtifact artifact) {
            saved.add(artifact);
        }

        @Override
        public Optional<StagedArtifact> findLive(UUID runId) {
            return saved.stream().filter(a -> a.runId().equals(runId)).findFirst();
        }

        @Override
        public List<StagedArtifact> findExpired(Instant now, int limit) {
            return List.of();
        }

        @Override
        public boolean markDeleted(UUID runId, Instant when) {
            return saved.removeIf(a -> a.runId().equals(runId));
        }
    };
    private final TelemetryEvents telemetryEvents = new TelemetryEvents() {
        @Override
        public void backupProgress(BackupProgress progress) {
        }

        @Override
        public void restoreProgress(RestoreProgress progress) {
        }

        @Override
        public void artifactStreaming(ArtifactStreaming streaming) {
        }
    };
    private final ArtifactLocations locations = new ArtifactLocations(() -> "http://agent:8082", new UrlSigner(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), clock));

    @TempDir
    Path dir;

    /** Writes a fixed byte string as the dump. */
    private final TargetDumper dumper = new TargetDumper() {
        @Override
        public String kind() {
            return DumpTarget.POSTGRES;
        }

        @Override
        public String format() {
            return "pg_dump-custom";
        }

        @Override
        public DumpCompression compression() {
            return DumpCompression.none();
        }

        @Override
        public DumpOutcome dump(DumpTarget target, Path partialFile, DumpObserver observer) {
            try {
                Files.writeString(partialFile, "dump");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return new DumpOutcome.Dumped("0".repeat(64), 4, 4, "15.2", "pg_dump (PostgreSQL) 15.2", NOW, NOW, null);
        }
    };

    private final DumpTelemetry telemetry = new DumpTelemetry("agent-1", telemetryEvents, new SimpleMeterRegistry(),
            clock, Duration.ofHours(1));

    @AfterEach
    void close() {
        telemetry.close();
    }

    private BackupService service() {
        return new BackupService("agent-1", new TargetCatalog(List.of(orders, files)), dumper, StagingArea.open(dir),
                artifacts, locations, events, clock, Duration.ofHours(1), telemetry);
    }

    @Test
    void partialDumpsLeftByAKilledAgentAreDeletedAtStartAndCompleteArtifactsKept() throws Exception {
        // what kill -9 mid-dump leaves: a partial file, written to just now (not stale by the janitor's measure)
        UUID killed = UUID.randomUUID();
        Path partial = StagingArea.open(dir).partialFile(killed);
        java.nio.file.Files.write(partial, new byte[] {1, 2, 3});
        Path zstdPartial = dir.resolve(UUID.randomUUID() + ".dump.zst.partial");
        java.nio.file.Files.write(zstdPartial, new byte[] {4});
        Path complete = StagingArea.open(dir).artifactFile(UUID.randomUUID());
        java.nio.file.Files.write(complete, new byte[] {5});

        service();

        assertThat(partial).doesNotExist();
        assertThat(zstdPartial).doesNotExist();
        assertThat(complete).as("a complete artifact is the janitor's, by its row").exists();
    }

    @Test
    void stagesTheDumpButRecordsNothingUntilTheOutcomeIsRecorded() {
        BackupService service = service();
        UUID runId = UUID.randomUUID();

        BackupService.Outcome outcome = service.perform(request(runId, "agent-1", "orders"));

        assertThat(outcome).isInstanceOf(BackupService.Outcome.Staged.class);
        assertThat(published).isEmpty();
        assertThat(saved).isEmpty();
        assertThat(((BackupService.Outcome.Staged) outcome).artifact().path()).hasContent("dump");

        service.record(outcome);

        assertThat(saved).singleElement().satisfies(a -> assertThat(a.runId()).isEqualTo(runId));
        assertThat(published).singleElement().isInstanceOfSatisfying(ArtifactReady.class, ready -> {
            assertThat(ready.runId()).isEqualTo(runId);
            assertThat(ready.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
            assertThat(ready.manifest().compression()).isEqualTo("none");
        });
    }

    @Test
    void anUnknownTargetFailsTheRunAtDump() {
        BackupService service = service();
        UUID runId = UUID.randomUUID();

        service.record(service.perform(request(runId, "agent-1", "billing")));

        assertThat(published).singleElement().isEqualTo(new BackupFailed(runId, "agent-1", "billing",
                FailureStage.DUMP, "unknown target 'billing' on agent 'agent-1'", false, NOW));
    }

    @Test
    void aTargetOfAKindNoDumperHandlesFailsTheRunAtDumpNamingTheKnownKinds() {
        BackupService service = service();
        UUID runId = UUID.randomUUID();

        service.record(service.perform(request(runId, "agent-1", "files")));

        assertThat(published).singleElement().isEqualTo(new BackupFailed(runId, "agent-1", "files",
                FailureStage.DUMP, "target 'files' is of kind 'tar', which agent 'agent-1' cannot dump (it knows: "
                        + "postgres)", false, NOW));
        assertThat(saved).isEmpty();
    }

    @Test
    void theManifestStatesTheFormatOfTheTargetsDumper() {
        BackupService.Outcome outcome = service().perform(request(UUID.randomUUID(), "agent-1", "orders"));

        assertThat(((BackupService.Outcome.Staged) outcome).event().manifest().format()).isEqualTo("pg_dump-custom");
    }

    @Test
    void anotherAgentsRequestIsIgnored() {
        BackupService service = service();

        BackupService.Outcome outcome = service.perform(request(UUID.randomUUID(), "agent-2", "orders"));
        service.record(outcome);

        assertThat(outcome).isInstanceOf(BackupService.Outcome.Ignored.class);
        assertThat(published).isEmpty();
    }

    private static BackupRequested request(UUID runId, String agentId, String target) {
        return new BackupRequested(runId, UUID.randomUUID(), "plan", agentId, target, NOW, NOW, 1, "manual");
    }
}
