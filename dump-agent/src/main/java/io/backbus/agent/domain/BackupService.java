package io.backbus.agent.domain;

import io.backbus.agent.config.AgentProperties;
import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.BackupFailed;
import io.backbus.contracts.BackupRequested;
import io.backbus.contracts.FailureStage;
import io.backbus.contracts.Stored;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * The agent's part of a backup run: dump the requested target, stage the artifact and announce where to pull it
 * (or why it failed); drop the staged copy once the uploader stored it. The dump runs in no transaction
 * ({@link #perform}); its outcome is recorded with its event in the caller's short transaction ({@link #record}).
 */
@Service
public class BackupService {

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);

    private final String agentId;
    private final TargetCatalog targets;
    private final BackupKinds kinds;
    private final Staging staging;
    private final StagedArtifacts artifacts;
    private final ArtifactLocations locations;
    private final BackupEvents events;
    private final Clock clock;
    private final Duration urlTtl;
    private final DumpTelemetry telemetry;
    private final LiveDumps live;
    private final DumpStreaming streaming;

    /** Without serving artifacts while they are dumped. */
    public BackupService(String agentId, TargetCatalog targets, TargetDumper dumper, Staging staging,
            StagedArtifacts artifacts, ArtifactLocations locations, BackupEvents events, Clock clock,
            Duration urlTtl, DumpTelemetry telemetry) {
        this(agentId, targets, BackupKinds.of(dumper, null), staging, artifacts, locations, events, clock, urlTtl,
                telemetry, null, null);
    }

    /** Streaming as {@code backbus.agent.streaming} says. */
    @Autowired
    public BackupService(AgentProperties properties, TargetCatalog targets, BackupKinds kinds, Staging staging,
            StagedArtifacts artifacts, ArtifactLocations locations, BackupEvents events, Clock clock,
            DumpTelemetry telemetry, LiveDumps live, DumpStreaming streaming) {
        this(properties.id(), targets, kinds, staging, artifacts, locations, events, clock, properties.urlTtl(),
                telemetry, live, streamingOrNone(properties, streaming));
    }

    private static DumpStreaming streamingOrNone(AgentProperties properties, DumpStreaming streaming) {
        if (!properties.streaming()) {
            log.info("backbus.agent.streaming is false: artifacts are served only once staged, no ArtifactStreaming");
            return null;
        }
        return streaming;
    }

    /**
     * @param live      the registry of running dumps (pruned by the janitor, entries removed on Stored); may be null
     *                  without streaming
     * @param streaming announces and registers each dump as it starts; null: no ArtifactStreaming, no live dumps
     */
    public BackupService(String agentId, TargetCatalog targets, BackupKinds kinds, Staging staging,
            StagedArtifacts artifacts, ArtifactLocations locations, BackupEvents events, Clock clock,
            Duration urlTtl, DumpTelemetry telemetry, LiveDumps live, DumpStreaming streaming) {
        this.live = live;
        this.streaming = streaming;
        this.agentId = agentId;
        this.targets = targets;
        this.kinds = kinds;
        this.staging = staging;
        this.artifacts = artifacts;
        this.locations = locations;
        this.events = events;
        this.clock = clock;
        this.urlTtl = urlTtl;
        this.telemetry = telemetry;
        reclaimPartialDumps();
    }

    /**
     * At start, before any dump can run (the listeners start after the beans are built): every partial dump file
     * in staging is a leftover of an earlier run of the agent killed mid-dump. Its run is dumped again from the
     * start when its request is redelivered, so nothing needs it; waiting for the janitor (partials older than
     * url-ttl) would leave it on the staging disk for hours.
     */
    private void reclaimPartialDumps() {
        int deleted = staging.deletePartialLeftovers();
        if (deleted > 0) {
            log.info("Deleted {} partial dump file(s) left in {} by an earlier run of the agent", deleted,
                    staging.dir());
        }
    }

    /** Whether a request or a stored artifact concerns this agent. */
    public boolean isMine(String eventAgentId) {
        return agentId.equals(eventAgentId);
    }

    /**
     * What a request ended in on this agent, to be recorded by {@link #record} in one short transaction: nothing
     * (not this agent's), a failure, or a staged artifact.
     */
    public sealed interface Outcome {
        /** The request is another agent's. */
        record Ignored() implements Outcome {
        }

        /** The run failed here. */
        record Failed(BackupFailed event) implements Outcome {
        }

        /** The artifact is staged: its row and the announcement where to pull it. */
        record Staged(StagedArtifact artifact, ArtifactReady event) implements Outcome {
        }
    }

    /** Dumps and records the outcome at once, in the caller's transaction (if any). */
    public void dump(BackupRequested request) {
        record(perform(request));
    }

    /**
     * Dumps the requested target if the request is for this agent and stages the artifact — the long part, in no
     * transaction; nothing is recorded yet.
     */
    public Outcome perform(BackupRequested request) {
        if (!isMine(request.agentId())) {
            log.debug("Ignoring request of run {} for agent '{}'", request.runId(), request.agentId());
            return new Outcome.Ignored();
        }
        Optional<DumpTarget> target = targets.find(request.target());
        if (target.isEmpty()) {
            return fail(request, "unknown target '" + request.target() + "' on agent '" + agentId + "'", false);
        }
        Optional<TargetDumper> dumper = kinds.dumper(target.get().kind());
        if (dumper.isEmpty()) {
            return fail(request, "target '" + request.target() + "' is of kind '" + target.get().kind()
                    + "', which agent '" + agentId + "' cannot dump (it knows: " + kinds.kinds() + ")", false);
        }
        log.info("Dumping target '{}' for run {} (attempt {})", request.target(), request.runId(),
                request.attempt());
        return dump(request, target.get(), dumper.get());
    }

    /** Records what {@link #perform} ended in: the staged row and ArtifactReady, or BackupFailed. */
    public void record(Outcome outcome) {
        if (outcome instanceof Outcome.Staged staged) {
            artifacts.save(staged.artifact());
            events.artifactReady(staged.event());
        } else if (outcome instanceof Outcome.Failed failed) {
            events.failed(failed.event());
        }
    }

    /** Dumps, then stages the artifact or tells the failure; telemetry and live readers follow. */
    private Outcome dump(BackupRequested request, DumpTarget target, TargetDumper dumper) {
        UUID runId = request.runId();
        DumpTelemetry.Run run = telemetry.start(runId, request.target());
        DumpStreaming.Run streamed = streaming == null ? null : streaming.start(runId, request.target());
        Outcome result = null;
        try {
            DumpOutcome outcome = dumper.dump(target, staging.partialFile(runId), observer(run, streamed));
            if (outcome instanceof DumpOutcome.Failed failed) {
                endLive(streamed, -1);
                result = fail(request, failed.reason(), failed.retryable());
            } else {
                result = stage(request, target, dumper, (DumpOutcome.Dumped) outcome, streamed);
            }
            return result;
        } finally {
            if (result instanceof Outcome.Staged) {
                run.succeeded();
            } else {
                // also when something unexpected was thrown: readers of the live artifact break off
                endLive(streamed, -1);
                run.failed();
            }
        }
    }

    /** The telemetry run, and with streaming the hook that announces the dump when its file is created. */
    private static DumpObserver observer(DumpTelemetry.Run run, DumpStreaming.Run streamed) {
        if (streamed == null) {
            return run;
        }
        return new DumpObserver() {
            @Override
            public void stagingStarted(Path file, Instant dumpStartedAt) {
                streamed.started(file, dumpStartedAt);
            }

            @Override
            public void read(long bytes) {
                run.read(bytes);
            }

            @Override
            public void staged(long bytes) {
                run.staged(bytes);
                streamed.staged(bytes);
            }
        };
    }

    /** Ends the live dump: done with the final size, or failed when {@code size} is negative. */
    private static void endLive(DumpStreaming.Run streamed, long size) {
        if (streamed == null) {
            return;
        }
        if (size < 0) {
            streamed.failed();
        } else {
            streamed.done(size);
        }
    }

    private Outcome stage(BackupRequested request, DumpTarget target, TargetDumper dumper, DumpOutcome.Dumped dumped,
            DumpStreaming.Run streamed) {
        UUID runId = request.runId();
        Path file;
        try {
            file = staging.promote(runId);
        } catch (IOException e) {
            deleteQuietly(staging.partialFile(runId));
            endLive(streamed, -1);
            return fail(request, "cannot stage the dump in " + staging.dir() + ": " + e.getMessage(), true);
        }
        // complete and synced (PgDump closed it) and renamed: live readers may end the body at this size
        endLive(streamed, dumped.sizeBytes());
        return staged(runId, target, dumper, dumped, file);
    }

    /** The staged artifact and the announcement where to pull it, until when. */
    private Outcome staged(UUID runId, DumpTarget target, TargetDumper dumper, DumpOutcome.Dumped dumped,
            Path file) {
        Instant now = clock.instant();
        // whole seconds: the URL carries epoch seconds and the event must state the same instant
        Instant expiresAt = now.plus(urlTtl).truncatedTo(ChronoUnit.SECONDS);
        StagedArtifact artifact = new StagedArtifact(runId, target.name(), file, dumped.sha256(), dumped.sizeBytes(),
                expiresAt, now);
        ArtifactManifest manifest = new ArtifactManifest(dumper.format(), dumper.compression().codec().manifestName(),
                target.database(), dumped.serverVersion(), dumped.dumpToolVersion(), dumped.startedAt(), dumped.finishedAt(),
                dumped.tableRowCounts());
        ArtifactReady ready = new ArtifactReady(runId, agentId, target.name(), locations.location(runId, expiresAt),
                dumped.sha256(), dumped.sizeBytes(), expiresAt, manifest);
        log.info("Staged run {} of target '{}': {} bytes ({} dumped, compression {}), sha256 {}, served "
                + "until {}", runId, target.name(), dumped.sizeBytes(), dumped.dumpedBytes(),
                manifest.compression(), dumped.sha256(), expiresAt);
        return new Outcome.Staged(artifact, ready);
    }

    private Outcome fail(BackupRequested request, String reason, boolean retryable) {
        log.warn("Run {} of target '{}' failed at DUMP ({}): {}", request.runId(), request.target(),
                retryable ? "retryable" : "not retryable", reason);
        return new Outcome.Failed(new BackupFailed(request.runId(), agentId, request.target(), FailureStage.DUMP,
                reason, retryable, clock.instant()));
    }

    /** Deletes the staged copy of a run the uploader stored, if this agent staged it. */
    public void release(Stored stored) {
        release(stored.runId(), stored.agentId(), "stored");
    }

    /**
     * Deletes the staged copy of a run that failed after its dump (the uploader could not pull, encrypt or store
     * it): a failure reported by a stage ends the run, and its retry dumps again. Without this the copy waited for
     * the janitor until its URL expired ({@code url-ttl}, 6 h by default).
     */
    public void release(BackupFailed failed) {
        if (failed.stage() == FailureStage.DUMP) {
            return; // nothing was staged, or this agent deleted the partial file itself
        }
        release(failed.runId(), failed.agentId(), "failed at " + failed.stage());
    }

    private void release(UUID runId, String agent, String why) {
        if (!isMine(agent)) {
            log.debug("Ignoring the outcome of run {} from agent '{}'", runId, agent);
            return;
        }
        if (live != null) {
            live.remove(runId);
        }
        Optional<StagedArtifact> staged = artifacts.findLive(runId);
        if (staged.isEmpty()) {
            log.debug("Run {} ({}) has no live staged artifact here", runId, why);
            return;
        }
        delete(staged.get(), why);
    }

    /** Deletes staged files whose URLs expired. */
    public int deleteExpired() {
        Instant now = clock.instant();
        if (live != null) {
            live.prune(now);
        }
        List<StagedArtifact> expired = artifacts.findExpired(now, 500);
        for (StagedArtifact artifact : expired) {
            try {
                delete(artifact, "expired");
            } catch (RuntimeException e) {
                log.warn("Janitor could not delete run {}: {}", artifact.runId(), e.getMessage());
            }
        }
        int partials = staging.deleteStalePartials(now.minus(urlTtl));
        return expired.size() + partials;
    }

    private void delete(StagedArtifact artifact, String why) {
        try {
            staging.delete(artifact.path());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete staged artifact " + artifact.path() + ": "
                    + e.getMessage(), e);
        }
        artifacts.markDeleted(artifact.runId(), clock.instant());
        log.info("Deleted staged artifact of run {} ({})", artifact.runId(), why);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", file, e.getMessage());
        }
    }
}
