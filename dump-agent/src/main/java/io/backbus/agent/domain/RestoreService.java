package io.backbus.agent.domain;

import io.backbus.agent.config.AgentProperties;
import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreCompleted;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestoreOptions;
import io.backbus.contracts.RestoreStage;
import io.backbus.contracts.RestoreVerification;
import io.backbus.contracts.SmokeQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * The agent's part of a restore (ADR 0006): given a {@code RestoreArtifactReady} for this agent,
 * <ol type="a">
 * <li>resolve the destination target among the agent's own (its server, user and password) and check the
 * database name;</li>
 * <li>preflight the destination before pulling anything: a database with tables is refused without {@code clean},
 * a missing one without {@code createDatabase};</li>
 * <li>pull the artifact into staging, checking size and SHA-256, decompressing zstd;</li>
 * <li>create the database if needed (remembering that this restore created it);</li>
 * <li>{@code pg_restore -j N [--clean --if-exists]};</li>
 * <li>verify row counts against the manifest and run the smoke queries;</li>
 * <li>drop the database if asked ({@code dropAfterVerify}, scratch databases of restore tests);</li>
 * <li>publish {@code RestoreCompleted}.</li>
 * </ol>
 * Every restore it takes ends in {@code RestoreCompleted} or {@code RestoreFailed} (stage, reason, whether the
 * destination was written to), published through the outbox in the caller's transaction ({@link #record}, after
 * the restore ran in none: {@link #perform}); unexpected errors too, at the stage they happened in. A database this restore created is dropped again when the restore fails. The staged
 * archive is always deleted.
 */
@Service
public class RestoreService {

    private static final Logger log = LoggerFactory.getLogger(RestoreService.class);

    private final String agentId;
    private final TargetCatalog targets;
    private final Staging staging;
    private final RestoreArtifactFetcher fetcher;
    private final BackupKinds kinds;
    private final RestoreVerifier verifier;
    private final RestoreTelemetry telemetry;
    private final RestoreEvents events;
    private final Clock clock;
    private final Function<String, String> getenv;
    private final int maxJobs;

    /** Reclaims, before any restore can run, what a restore killed mid-way left in staging. */
    @Autowired
    public RestoreService(AgentProperties properties, TargetCatalog targets, Staging staging,
            RestoreArtifactFetcher fetcher, BackupKinds kinds, RestoreTelemetry telemetry,
            RestoreEvents events, Clock clock) {
        this(properties.id(), targets, staging, fetcher, kinds, properties.restore().smokeQueryTimeout(),
                properties.restore().maxJobs(), telemetry, events, clock, System::getenv);
        int leftovers = staging.deleteRestoreLeftovers();
        if (leftovers > 0) {
            log.info("Deleted {} restore file(s) left in {} by an earlier run", leftovers, staging.dir());
        }
    }

    public RestoreService(String agentId, TargetCatalog targets, Staging staging, RestoreArtifactFetcher fetcher,
            ArchiveRestorer restorer, Duration smokeQueryTimeout, int maxJobs, RestoreTelemetry telemetry,
            RestoreEvents events, Clock clock, Function<String, String> getenv) {
        this(agentId, targets, staging, fetcher, BackupKinds.of(null, restorer), smokeQueryTimeout, maxJobs,
                telemetry, events, clock, getenv);
    }

    public RestoreService(String agentId, TargetCatalog targets, Staging staging, RestoreArtifactFetcher fetcher,
            BackupKinds kinds, Duration smokeQueryTimeout, int maxJobs, RestoreTelemetry telemetry,
            RestoreEvents events, Clock clock, Function<String, String> getenv) {
        this.agentId = agentId;
        this.targets = targets;
        this.staging = staging;
        this.fetcher = fetcher;
        this.kinds = kinds;
        this.verifier = new RestoreVerifier(smokeQueryTimeout);
        this.maxJobs = maxJobs;
        this.telemetry = telemetry;
        this.events = events;
        this.clock = clock;
        this.getenv = getenv;
    }

    /** Whether a restore's destination is served by this agent. */
    public boolean isMine(String destinationAgentId) {
        return agentId.equals(destinationAgentId);
    }

    /** What a restore ended in, to be recorded by {@link #record} in one short transaction. */
    public sealed interface Outcome {
        /** The restore is another agent's. */
        record Ignored() implements Outcome {
        }

        record Completed(RestoreCompleted event) implements Outcome {
        }

        record Failed(RestoreFailed event) implements Outcome {
        }
    }

    /** Restores and records the outcome at once, in the caller's transaction (if any). */
    public void restore(RestoreArtifactReady event) {
        record(perform(event));
    }

    /** Publishes what {@link #perform} ended in: RestoreCompleted or RestoreFailed. */
    public void record(Outcome outcome) {
        if (outcome instanceof Outcome.Completed c) {
            RestoreCompleted completed = c.event();
            events.completed(completed);
            log.info("Restore {} completed in {} ms: {}{}", completed.restoreId(), completed.durationMillis(),
                    completed.verification().summary(),
                    completed.destinationDropped() ? "; database dropped afterwards" : "");
        } else if (outcome instanceof Outcome.Failed f) {
            events.failed(f.event());
        }
    }

    /**
     * Restores the artifact if its destination is this agent's — the long part, in no transaction; nothing is
     * published yet.
     */
    public Outcome perform(RestoreArtifactReady event) {
        if (!isMine(event.destination().agentId())) {
            log.debug("Ignoring restore {} for agent '{}'", event.restoreId(), event.destination().agentId());
            return new Outcome.Ignored();
        }
        Attempt attempt = new Attempt(event, staging.restoreFile(event.restoreId()), clock.instant());
        log.info("Restore {}: backup {} of target '{}' into database \"{}\" on target '{}' (clean={}, create={}, "
                + "jobs={}, dropAfterVerify={})", event.restoreId(), event.backupId(), event.target(),
                event.destination().database(), event.destination().target(), event.options().clean(),
                event.options().createDatabase(), event.options().jobs(), event.options().dropAfterVerify());
        RestoreCompleted completed = null;
        try {
            completed = run(attempt);
            return new Outcome.Completed(completed);
        } catch (RestoreFailure failure) {
            return new Outcome.Failed(fail(attempt, failure));
        } catch (RuntimeException e) {
            String message = FailureReason.scrub(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), attempt.secrets());
            log.error("Restore {} failed unexpectedly at stage {}: {}", event.restoreId(), attempt.stage, message);
            log.debug("Restore {} failed unexpectedly", event.restoreId(), e);
            return new Outcome.Failed(fail(attempt, new RestoreFailure(attempt.stage, "unexpected error at stage "
                    + attempt.stage + ": " + message, attempt.touched)));
        } finally {
            deleteQuietly(attempt.archive);
            telemetry.finished(completed != null, System.nanoTime() - attempt.startNanos);
        }
    }

    /** Steps a–h of the class comment, in order; each moves {@link Attempt#stage} on as it starts. */
    private RestoreCompleted run(Attempt attempt) throws RestoreFailure {
        Destination destination = destination(attempt);
        Preflight preflight = preflight(attempt, destination);
        pull(attempt);
        createDatabase(attempt, destination, preflight);
        restoreArchive(attempt, destination);
        verify(attempt, destination);
        boolean dropped = dropScratchDatabase(attempt, destination);
        return completed(attempt, dropped);
    }

    /** Where a restore goes: the target, the database in it, the credentials and a connection to its server. */
    private record Destination(DumpTarget target, DatabaseName database, PasswordSource.ChildCredentials credentials,
            DestinationServer server, String where, ArchiveRestorer restorer) {
    }

    /** What the preflight found: whether the database exists, and whether it is a leftover of this restore. */
    private record Preflight(boolean exists, boolean leftover) {
    }

    /** a. the destination among this agent's targets, and a database name that is safe to use. */
    private Destination destination(Attempt attempt) throws RestoreFailure {
        RestoreArtifactReady event = attempt.event;
        DumpTarget target = targets.find(event.destination().target()).orElseThrow(() -> new RestoreFailure(
                RestoreStage.DESTINATION, "agent '" + agentId + "' serves no target '" + event.destination().target()
                        + "'", false));
        Optional<String> badName = DatabaseName.problem(event.destination().database());
        if (badName.isPresent()) {
            throw new RestoreFailure(RestoreStage.DESTINATION, "cannot restore into that database: "
                    + badName.get(), false);
        }
        ArchiveRestorer restorer = kinds.restorer(event.manifest().format()).orElseThrow(() -> new RestoreFailure(
                RestoreStage.DESTINATION, "agent '" + agentId + "' cannot restore artifacts of format '"
                        + event.manifest().format() + "' (it knows: " + kinds.formats() + ")", false));
        DatabaseName database = new DatabaseName(event.destination().database());
        attempt.database = database;
        String where = "destination database " + database + " on target '" + target.name() + "'";
        if (event.options().dropAfterVerify() && database.name().equals(target.database())) {
            throw new RestoreFailure(RestoreStage.DESTINATION, "refusing dropAfterVerify for " + where + ": it is the "
                    + "database target '" + target.name() + "' itself backs up; restore tests need a scratch "
                    + "database", false);
        }
        PasswordSource.ChildCredentials credentials;
        try {
            credentials = target.passwordSource().resolve(getenv);
        } catch (CredentialsUnavailableException e) {
            throw new RestoreFailure(RestoreStage.DESTINATION, "no password for target '" + target.name() + "': "
                    + e.getMessage(), false);
        }
        DestinationServer server = new DestinationServer(target, credentials);
        attempt.server = server;
        return new Destination(target, database, credentials, server, where, restorer);
    }

    /** b. preflight, before pulling anything. */
    private Preflight preflight(Attempt attempt, Destination destination) throws RestoreFailure {
        RestoreArtifactReady event = attempt.event;
        RestoreOptions options = event.options();
        String where = destination.where();
        DestinationServer.State state;
        try {
            state = destination.server().inspect(destination.database(), event.restoreId());
        } catch (SQLException e) {
            throw new RestoreFailure(RestoreStage.DESTINATION, "cannot inspect " + where + " as user '"
                    + destination.target().user() + "' at " + destination.target().host() + ":"
                    + destination.target().port() + ": " + RowCountSnapshot.describe(e, destination.server().secrets()),
                    false);
        }
        boolean leftover = state.leftover() && options.createDatabase();
        if (leftover) {
            log.info("Restore {}: {} was created by an earlier attempt of this restore that did not finish; it will "
                    + "be dropped and created again", event.restoreId(), where);
        } else if (state.exists() && state.tables() > 0 && !options.clean()) {
            throw new RestoreFailure(RestoreStage.DESTINATION, where + " is not empty (" + state.tables()
                    + (state.tables() == 1 ? " table" : " tables") + "); restore with clean to replace its contents",
                    false);
        } else if (!state.exists() && !options.createDatabase()) {
            throw new RestoreFailure(RestoreStage.DESTINATION, where + " does not exist; ask to create it "
                    + "(createDatabase) or create it first", false);
        }
        return new Preflight(state.exists(), leftover);
    }

    /** c. pull into staging: checked before the destination is touched. */
    private void pull(Attempt attempt) throws RestoreFailure {
        RestoreArtifactReady event = attempt.event;
        attempt.stage = RestoreStage.TRANSFER;
        RestoreTelemetry.Stage transfer = telemetry.start(event.restoreId(), event.target(), RestoreStage.TRANSFER,
                event.sizeBytes());
        RestoreArtifactFetcher.Fetched fetched = null;
        long transferStart = System.nanoTime();
        try {
            fetched = fetcher.fetch(event.location(), event.sha256(), event.sizeBytes(),
                    event.manifest().compression(), attempt.archive, transfer);
        } catch (RestoreFailure f) {
            throw new RestoreFailure(RestoreStage.TRANSFER, f.reason() + "; the destination was not touched", false);
        } finally {
            transfer.end(fetched != null);
        }
        log.info("Restore {}: received {} bytes in {} ms, size and sha256 match; staged a {} byte archive",
                event.restoreId(), fetched.receivedBytes(), millisSince(transferStart), fetched.stagedBytes());
    }

    /** d. create the database if needed (dropping a leftover of an earlier attempt first). */
    private void createDatabase(Attempt attempt, Destination destination, Preflight preflight)
            throws RestoreFailure {
        RestoreArtifactReady event = attempt.event;
        DestinationServer server = destination.server();
        String where = destination.where();
        attempt.stage = RestoreStage.DESTINATION;
        if (preflight.leftover()) {
            try {
                server.drop(destination.database());
            } catch (SQLException e) {
                throw new RestoreFailure(RestoreStage.DESTINATION, "cannot drop " + where + ", left by an earlier "
                        + "attempt of this restore: " + RowCountSnapshot.describe(e, server.secrets()), true);
            }
        }
        if (!preflight.exists() || preflight.leftover()) {
            try {
                server.create(destination.database(), event.restoreId());
            } catch (SQLException e) {
                throw new RestoreFailure(RestoreStage.DESTINATION, "cannot create " + where + ": "
                        + RowCountSnapshot.describe(e, server.secrets()), false);
            }
            attempt.created = true;
            log.info("Restore {}: created {}", event.restoreId(), where);
        }
    }

    /** e. pg_restore, with at most {@code maxJobs} jobs; the archive is deleted once restored. */
    private void restoreArchive(Attempt attempt, Destination destination) throws RestoreFailure {
        RestoreArtifactReady event = attempt.event;
        RestoreOptions options = event.options();
        attempt.stage = RestoreStage.RESTORE;
        int jobs = Math.max(1, Math.min(options.jobs(), maxJobs));
        if (jobs != options.jobs()) {
            log.info("Restore {}: {} jobs asked for, running {} (backbus.agent.restore.max-jobs is {})",
                    event.restoreId(), options.jobs(), jobs, maxJobs);
        }
        RestoreTelemetry.Stage restoring = telemetry.start(event.restoreId(), event.target(), RestoreStage.RESTORE,
                destination.restorer().entries(attempt.archive));
        attempt.touched = true;
        long restoreStart = System.nanoTime();
        Optional<String> failed = Optional.of("pg_restore did not finish");
        try {
            failed = destination.restorer().restore(destination.target(), destination.database(), destination.credentials(), jobs,
                    options.clean(), attempt.archive, restoring);
        } finally {
            restoring.end(failed.isEmpty());
        }
        if (failed.isPresent()) {
            throw new RestoreFailure(RestoreStage.RESTORE, "pg_restore failed: " + failed.get(), true);
        }
        log.info("Restore {}: pg_restore restored {} entries with {} job(s) in {} ms", event.restoreId(),
                restoring.done(), jobs, millisSince(restoreStart));
        // the archive is no longer needed: free the space before verifying
        deleteQuietly(attempt.archive);
    }

    /** f. verify row counts against the manifest and run the smoke queries. */
    private void verify(Attempt attempt, Destination destination) throws RestoreFailure {
        RestoreArtifactReady event = attempt.event;
        DestinationServer server = destination.server();
        attempt.stage = RestoreStage.VERIFY;
        List<SmokeQuery> smoke = event.smokeQueries() == null ? List.of() : event.smokeQueries();
        try (Connection c = server.connect(destination.database().name(), true)) {
            attempt.verification = verifier.verify(c, event.manifest().tableRowCounts(), smoke, server.secrets());
        } catch (SQLException e) {
            throw new RestoreFailure(RestoreStage.VERIFY, "restored into " + destination.where()
                    + " but could not verify it: " + RowCountSnapshot.describe(e, server.secrets()), true);
        }
    }

    /**
     * g. drop a scratch database ({@code dropAfterVerify}), or label a database this restore created. A failed drop
     * does not fail the restore: it is told in the verification summary ({@link Attempt#verification}).
     *
     * @return whether the database was dropped
     */
    private boolean dropScratchDatabase(Attempt attempt, Destination destination) {
        RestoreArtifactReady event = attempt.event;
        RestoreVerification verification = attempt.verification;
        DestinationServer server = destination.server();
        boolean dropped = false;
        if (event.options().dropAfterVerify()) {
            try {
                server.drop(destination.database());
                dropped = true;
            } catch (SQLException e) {
                String why = RowCountSnapshot.describe(e, server.secrets());
                log.warn("Restore {}: cannot drop {} after verifying it: {}", event.restoreId(), destination.where(),
                        why);
                attempt.verification = new RestoreVerification(verification.passed(), verification.tablesChecked(),
                        verification.rowsChecked(), verification.mismatches(), verification.smokeResults(),
                        verification.summary() + "; dropping the database afterwards failed (" + why
                                + "): drop it by hand");
            }
        } else if (attempt.created) {
            server.comment(destination.database(), "backbus: restored from backup " + event.backupId()
                    + " by restore " + event.restoreId());
        }
        attempt.created = false;
        return dropped;
    }

    /** h. done. */
    private RestoreCompleted completed(Attempt attempt, boolean dropped) {
        RestoreArtifactReady event = attempt.event;
        Instant finishedAt = clock.instant();
        return new RestoreCompleted(event.restoreId(), event.backupId(), event.planId(), event.purpose(),
                event.target(), event.destination(), attempt.startedAt, finishedAt, millisSince(attempt.startNanos),
                attempt.verification, dropped);
    }

    /**
     * The RestoreFailed to publish: drops the database if this restore created it (so a failed restore leaves
     * nothing behind) and tells what the destination holds.
     */
    private RestoreFailed fail(Attempt attempt, RestoreFailure failure) {
        RestoreArtifactReady event = attempt.event;
        String reason = FailureReason.scrub(failure.reason(), attempt.secrets());
        boolean touched = failure.destinationTouched();
        if (attempt.created) {
            try {
                attempt.server.drop(attempt.database);
                reason += "; the database this restore created was dropped";
                touched = false;
            } catch (SQLException | RuntimeException e) {
                String why = e instanceof SQLException sql ? RowCountSnapshot.describe(sql, attempt.secrets())
                        : FailureReason.scrub(String.valueOf(e.getMessage()), attempt.secrets());
                // bounded: the reason (at most 4000 characters) must keep what precedes it
                why = why.length() > 500 ? why.substring(0, 500) + "…" : why;
                reason += "; the database this restore created could not be dropped (" + why + "): drop it by hand "
                        + "or re-run with clean";
                touched = true;
            }
        } else if (touched && failure.stage() == RestoreStage.RESTORE) {
            reason += "; destination " + attempt.database + " holds a partial restore; re-run with clean to replace "
                    + "it";
        }
        log.warn("Restore {} failed at {} (destination {}): {}", event.restoreId(), failure.stage(),
                touched ? "touched" : "not touched", reason);
        return new RestoreFailed(event.restoreId(), event.backupId(), event.planId(), event.purpose(),
                event.target(), event.destination(), failure.stage(), reason, touched, clock.instant());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot delete the restore file {}: {}", file, e.getMessage());
        }
    }

    /** What one restore has done so far: what a failure must undo or report. */
    private static final class Attempt {
        final RestoreArtifactReady event;
        final Path archive;
        final Instant startedAt;
        final long startNanos = System.nanoTime();
        RestoreStage stage = RestoreStage.DESTINATION;
        DestinationServer server;
        DatabaseName database;
        /** The database exists because this restore created it (and it must be dropped if the restore fails). */
        boolean created;
        /** pg_restore was started on the destination. */
        boolean touched;
        /** What verifying found (and what dropping a scratch database afterwards added). */
        RestoreVerification verification;

        Attempt(RestoreArtifactReady event, Path archive, Instant startedAt) {
            this.event = event;
            this.archive = archive;
            this.startedAt = startedAt;
        }

        List<String> secrets() {
            return server == null ? List.of() : server.secrets();
        }
    }
}
