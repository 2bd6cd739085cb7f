package io.backbus.agent.postgres;

import io.backbus.agent.config.AgentProperties;
import io.backbus.agent.config.PgBinaries;
import io.backbus.agent.domain.CredentialsUnavailableException;
import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpObserver;
import io.backbus.agent.domain.DumpOutcome;
import io.backbus.agent.domain.DumpTarget;
import io.backbus.agent.domain.FailureReason;
import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.domain.RowCountSnapshot;
import io.backbus.agent.domain.Staging;
import io.backbus.agent.domain.StagingWriter;
import io.backbus.agent.domain.TargetDumper;
import io.backbus.agent.tools.RunningTool;
import io.backbus.agent.tools.ToolCommand;
import io.backbus.agent.tools.ToolException;
import io.backbus.agent.tools.ToolRunner;
import io.backbus.streams.EndpointFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs {@code pg_dump} for a target and streams its stdout into a staging file — with {@link DumpCompression.Codec#ZSTD}
 * an uncompressed custom-format archive ({@code -Fc -Z0}) compressed in-stream with zstd, with
 * {@link DumpCompression.Codec#NONE} plain {@code -Fc} — computing SHA-256 and size of the bytes written to staging
 * in the same pass ({@link StagedCopy}). Before dumping it checks that pg_dump is not older than the server
 * ({@link PgDumpVersions}); with row counts it counts in the snapshot pg_dump dumps ({@link RowCounting}). The
 * password reaches pg_dump (and psql) only through the environment ({@link PgEnvironment}); the command line
 * carries host, port, user and database, never a secret.
 */
@Component
public class PgDump implements TargetDumper {

    /** What {@code pg_dump -Fc} produces, as the manifest states it. */
    public static final String FORMAT = "pg_dump-custom";

    private static final Logger log = LoggerFactory.getLogger(PgDump.class);
    static final int STDERR_TAIL_BYTES = ToolCommand.DEFAULT_STDERR_TAIL;

    private final Path pgDump;
    private final Function<String, String> getenv;
    private final Clock clock;
    private final StagingWriter writer;
    private final DumpCompression compression;
    private final boolean rowCounts;
    private final ToolRunner tools = new ToolRunner();
    private final PgDumpVersions versions;

    /** From {@code backbus.agent.pg-bin-dir}, {@code compression} and {@code row-counts}, into {@code staging}. */
    @Autowired
    public PgDump(AgentProperties properties, Staging staging, Clock clock) {
        this(PgBinaries.locate(properties.pgBinDir()), System::getenv, clock, staging,
                properties.compression().toDumpCompression(), properties.id(), properties.rowCounts());
        log.info("Dumps are compressed with {}", compression.codec() == DumpCompression.Codec.NONE
                ? "pg_dump's own compression (codec none)"
                : "zstd level " + compression.level() + ", " + compression.workers() + " worker(s)");
        if (!rowCounts) {
            log.info("backbus.agent.row-counts is false: manifests carry no table row counts");
        }
    }

    /** Without row counts: pg_dump takes its own snapshot, the outcome carries no counts. */
    public PgDump(Path binDir, Function<String, String> getenv, Clock clock, StagingWriter writer,
            DumpCompression compression, String agentId) {
        this(binDir, getenv, clock, writer, compression, agentId, false);
    }

    /**
     * @param rowCounts whether to count every dumped table's rows in the snapshot pg_dump dumps (exported by the
     *                  agent's own JDBC session and handed to {@code pg_dump --snapshot})
     */
    public PgDump(Path binDir, Function<String, String> getenv, Clock clock, StagingWriter writer,
            DumpCompression compression, String agentId, boolean rowCounts) {
        this.rowCounts = rowCounts;
        this.pgDump = binDir.resolve("pg_dump");
        this.getenv = getenv;
        this.clock = clock;
        this.writer = writer;
        this.compression = compression;
        this.versions = new PgDumpVersions(binDir, agentId, tools);
    }

    @Override
    public String kind() {
        return DumpTarget.POSTGRES;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public DumpCompression compression() {
        return compression;
    }

    /** The pg_dump arguments for a target: no secret, and {@code --no-password} so it never prompts. */
    public List<String> command(DumpTarget target) {
        return command(target, null);
    }

    /** The pg_dump command line, with {@code --snapshot=<id>} when a snapshot is given (ids are not secrets). */
    List<String> command(DumpTarget target, String snapshotId) {
        return toolCommand(target, snapshotId, new PasswordSource.ChildCredentials(Map.of(), List.of()))
                .commandLine();
    }

    private ToolCommand toolCommand(DumpTarget target, String snapshotId,
            PasswordSource.ChildCredentials credentials) {
        List<String> arguments = new ArrayList<>(compression.pgDumpFormatArguments());
        arguments.addAll(connectionArguments(target));
        if (snapshotId != null) {
            arguments.add("--snapshot=" + snapshotId);
        }
        return ToolCommand.of(pgDump, arguments).withEnvironment(PgEnvironment.of(credentials))
                .withStderrTail(STDERR_TAIL_BYTES);
    }

    static List<String> connectionArguments(DumpTarget target) {
        return List.of("-h", target.host(), "-p", String.valueOf(target.port()), "-U", target.user(), "-d",
                target.database(), "--no-password");
    }

    /** {@code pg_dump --version}, e.g. {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-1)}; asked once. */
    public String toolVersion() {
        return versions.toolVersion();
    }

    /**
     * Dumps {@code target} into {@code partialFile}, telling {@code observer} how many bytes pg_dump produced and
     * how many were staged. On failure the partial file is deleted (and closed first, so its space is freed) and
     * the outcome carries a scrubbed reason; this method does not throw for pg_dump or staging trouble.
     */
    @Override
    public DumpOutcome dump(DumpTarget target, Path partialFile, DumpObserver observer) {
        Instant startedAt = clock.instant();
        PasswordSource.ChildCredentials credentials;
        try {
            credentials = target.passwordSource().resolve(getenv);
        } catch (CredentialsUnavailableException e) {
            return new DumpOutcome.Failed("no password for target '" + target.name() + "': " + e.getMessage(), false);
        }
        List<String> secrets = credentials.secrets();
        String dumpToolVersion = versions.toolVersion();
        Optional<String> tooOld = versions.refusal(target, credentials, dumpToolVersion);
        if (tooOld.isPresent()) {
            return new DumpOutcome.Failed(FailureReason.scrub(tooOld.get(), secrets), false);
        }
        Dump dump = new Dump(target, partialFile, observer, credentials, dumpToolVersion, startedAt);
        if (!rowCounts) {
            return dump.run(null);
        }
        RowCountSnapshot snapshot;
        try {
            snapshot = RowCountSnapshot.open(target, target.passwordSource().jdbcPassword(target, credentials));
        } catch (SQLException e) {
            // the same trouble pg_dump would have reported (wrong password, no such database, server down)
            String reason = "connection to server at \"" + target.host() + "\", port " + target.port()
                    + " failed (row-count session of target '" + target.name() + "'): "
                    + RowCountSnapshot.describe(e, secrets);
            return new DumpOutcome.Failed(FailureReason.scrub(reason, secrets), FailureReason.isRetryable(reason));
        }
        // the transaction (and its exported snapshot) stays open until pg_dump is done and the counts too
        try (snapshot) {
            return dump.run(snapshot);
        }
    }

    /** One pg_dump run into one partial file. */
    private final class Dump {
        private final DumpTarget target;
        private final Path partialFile;
        private final DumpObserver observer;
        private final PasswordSource.ChildCredentials credentials;
        private final List<String> secrets;
        private final String dumpToolVersion;
        private final Instant startedAt;

        Dump(DumpTarget target, Path partialFile, DumpObserver observer,
                PasswordSource.ChildCredentials credentials, String dumpToolVersion, Instant startedAt) {
            this.target = target;
            this.partialFile = partialFile;
            this.observer = observer;
            this.credentials = credentials;
            this.secrets = credentials.secrets();
            this.dumpToolVersion = dumpToolVersion;
            this.startedAt = startedAt;
        }

        /** Starts pg_dump (in {@code snapshot} when counting rows) and stages what it writes. */
        DumpOutcome run(RowCountSnapshot snapshot) {
            RunningTool tool;
            try {
                tool = tools.start(toolCommand(target, snapshot == null ? null : snapshot.snapshotId(),
                        credentials));
            } catch (ToolException e) {
                return new DumpOutcome.Failed(FailureReason.scrub(e.getMessage(), secrets), false);
            }
            // same snapshot as pg_dump's, so counting may overlap its streaming
            RowCounting counting = snapshot == null ? null : RowCounting.start(target, snapshot);
            try {
                return stage(tool, counting);
            } finally {
                tool.close();
                if (counting != null) {
                    counting.stop();
                }
            }
        }

        private DumpOutcome stage(RunningTool tool, RowCounting counting) {
            StagedCopy copied;
            try {
                copied = StagedCopy.from(tool.stdout(), this::openStaging, compression, observer);
            } catch (IOException e) {
                Optional<EndpointFailedException> sink = EndpointFailedException.in(e)
                        .filter(EndpointFailedException::isSink);
                if (sink.isPresent()) {
                    return abandon(tool, "cannot write the dump to staging dir " + partialFile.getParent() + ": "
                            + describe(sink.get().failure()));
                }
                // reading pg_dump's stdout failed, or opening the staging file failed
                return abandon(tool, "cannot stage the dump in " + partialFile.getParent() + ": " + describe(e));
            } catch (RuntimeException | Error e) {
                tool.cancel();
                deleteQuietly(partialFile);
                throw e;
            }
            try {
                tool.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deleteQuietly(partialFile);
                throw new IllegalStateException("interrupted while waiting for pg_dump of target " + target.name(),
                        e);
            } catch (ToolException e) {
                deleteQuietly(partialFile);
                String reason = FailureReason.ofPgDump(e.stderrTail(), e.exitCode().orElse(-1), secrets);
                return new DumpOutcome.Failed(reason, FailureReason.isRetryable(reason));
            }
            Instant finishedAt = clock.instant();
            Map<String, Long> counts = null;
            if (counting != null) {
                Optional<DumpOutcome.Failed> failed = counting.failure(secrets);
                if (failed.isPresent()) {
                    deleteQuietly(partialFile);
                    return failed.get();
                }
                counts = counting.counts();
            }
            return new DumpOutcome.Dumped(copied.sha256(), copied.size(), copied.read(), serverVersion(copied),
                    dumpToolVersion, startedAt, finishedAt, counts);
        }

        private OutputStream openStaging() throws IOException {
            OutputStream out = writer.openForWrite(partialFile);
            observer.stagingStarted(partialFile, startedAt);
            return out;
        }

        /** Staging failed: pg_dump is killed, the partial file deleted; retryable (space may be freed). */
        private DumpOutcome abandon(RunningTool tool, String reason) {
            tool.cancel();
            deleteQuietly(partialFile);
            return new DumpOutcome.Failed(FailureReason.scrub(reason, secrets), true);
        }

        private String serverVersion(StagedCopy copied) {
            try {
                return ArchiveHeader.serverVersion(copied.head(), copied.headLength());
            } catch (IOException e) {
                log.warn("Cannot read the server version from the archive header of {}: {}", partialFile,
                        e.getMessage());
                return "unknown";
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message != null && message.contains("No space left")) {
            return "no space left on device";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Cannot delete partial dump {}: {}", file, e.getMessage());
        }
    }
}
