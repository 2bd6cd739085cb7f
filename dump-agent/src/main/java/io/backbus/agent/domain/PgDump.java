package io.backbus.agent.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code pg_dump} for a target and streams its stdout into a staging file — with {@link DumpCompression.Codec#ZSTD}
 * an uncompressed custom-format archive ({@code -Fc -Z0}) compressed in-stream with zstd, with
 * {@link DumpCompression.Codec#NONE} plain {@code -Fc} — computing SHA-256 and size of the bytes written to staging
 * in the same pass. Before dumping it checks that pg_dump is not older than the server. The password reaches
 * pg_dump (and psql) only through the environment; the command line carries host, port, user and database, never a
 * secret.
 */
public class PgDump {

    private static final Logger log = LoggerFactory.getLogger(PgDump.class);
    static final int STDERR_TAIL_BYTES = 8 * 1024;
    /** Between pg_dump's stdout and the compressor. */
    static final int BUFFER_BYTES = 1024 * 1024;
    /** Kept from the start of the archive to read the server version from its header. */
    static final int HEADER_BYTES = 8 * 1024;
    private static final Duration VERSION_QUERY_TIMEOUT = Duration.ofSeconds(30);
    /** Chosen from the measurement in dump-agent/README.md. */
    static final boolean COUNT_WHILE_DUMPING = true;

    /** Opens the staging file for writing; replaceable in tests (e.g. by a full disk). */
    @FunctionalInterface
    public interface StagingWriter {
        OutputStream open(Path file) throws IOException;
    }

    private final Path pgDump;
    private final Path psql;
    private final Function<String, String> getenv;
    private final Clock clock;
    private final StagingWriter writer;
    private final DumpCompression compression;
    private final String agentId;
    private final boolean rowCounts;
    private final boolean countWhileDumping;
    private volatile String toolVersion;
    private volatile boolean psqlMissingLogged;

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
        this(binDir, getenv, clock, writer, compression, agentId, rowCounts, COUNT_WHILE_DUMPING);
    }

    /** @param countWhileDumping count while pg_dump streams (else before starting it); see the README measurement */
    PgDump(Path binDir, Function<String, String> getenv, Clock clock, StagingWriter writer,
            DumpCompression compression, String agentId, boolean rowCounts, boolean countWhileDumping) {
        this.rowCounts = rowCounts;
        this.countWhileDumping = countWhileDumping;
        this.pgDump = binDir.resolve("pg_dump");
        this.psql = binDir.resolve("psql");
        this.getenv = getenv;
        this.clock = clock;
        this.writer = writer;
        this.compression = compression;
        this.agentId = agentId;
    }

    public DumpCompression compression() {
        return compression;
    }

    /** The pg_dump arguments for a target: no secret, and {@code --no-password} so it never prompts. */
    public List<String> command(DumpTarget target) {
        return command(target, null);
    }

    /** The pg_dump arguments, with {@code --snapshot=<id>} when a snapshot is given (ids are not secrets). */
    List<String> command(DumpTarget target, String snapshotId) {
        List<String> command = new ArrayList<>();
        command.add(pgDump.toString());
        command.addAll(compression.pgDumpFormatArguments());
        command.addAll(connectionArguments(target));
        if (snapshotId != null) {
            command.add("--snapshot=" + snapshotId);
        }
        return command;
    }

    private static List<String> connectionArguments(DumpTarget target) {
        return List.of("-h", target.host(), "-p", String.valueOf(target.port()), "-U", target.user(), "-d",
                target.database(), "--no-password");
    }

    /** Dumps {@code target} into {@code partialFile} without observing it; see {@link #dump(DumpTarget, Path, DumpObserver)}. */
    public DumpOutcome dump(DumpTarget target, Path partialFile) {
        return dump(target, partialFile, DumpObserver.NONE);
    }

    /**
     * Dumps {@code target} into {@code partialFile}, telling {@code observer} how many bytes pg_dump produced and
     * how many were staged. On failure the partial file is deleted (and closed first, so its space is freed) and
     * the outcome carries a scrubbed reason; this method does not throw for pg_dump or staging trouble.
     */
    public DumpOutcome dump(DumpTarget target, Path partialFile, DumpObserver observer) {
        Instant startedAt = clock.instant();
        PasswordSource.ChildCredentials credentials;
        try {
            credentials = target.passwordSource().resolve(getenv);
        } catch (CredentialsUnavailableException e) {
            return new DumpOutcome.Failed("no password for target '" + target.name() + "': " + e.getMessage(), false);
        }
        List<String> secrets = credentials.secrets();
        String dumpToolVersion = toolVersion();
        Optional<String> tooOld = checkVersions(target, credentials, dumpToolVersion);
        if (tooOld.isPresent()) {
            return new DumpOutcome.Failed(FailureReason.scrub(tooOld.get(), secrets), false);
        }
        if (!rowCounts) {
            return dump(target, partialFile, observer, credentials, dumpToolVersion, startedAt, null);
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
            return dump(target, partialFile, observer, credentials, dumpToolVersion, startedAt, snapshot);
        }
    }

    private DumpOutcome dump(DumpTarget target, Path partialFile, DumpObserver observer,
            PasswordSource.ChildCredentials credentials, String dumpToolVersion, Instant startedAt,
            RowCountSnapshot snapshot) {
        List<String> secrets = credentials.secrets();
        RowCounting counting = null;
        if (snapshot != null && !countWhileDumping) {
            counting = RowCounting.start(target, snapshot, false);
            Optional<DumpOutcome.Failed> failed = counting.failure(secrets);
            if (failed.isPresent()) {
                return failed.get();
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command(target, snapshot == null ? null : snapshot.snapshotId()));
        childEnvironment(builder.environment(), credentials.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new DumpOutcome.Failed(FailureReason.scrub("cannot run " + pgDump + ": " + e.getMessage(),
                    secrets), false);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin is not used; --no-password keeps pg_dump from reading it
        }
        if (snapshot != null && countWhileDumping) {
            // same snapshot as pg_dump's, so counting may overlap its streaming
            counting = RowCounting.start(target, snapshot, true);
        }
        try {
            return stream(target, partialFile, observer, process, secrets, dumpToolVersion, startedAt, counting);
        } finally {
            if (counting != null) {
                counting.stop();
            }
        }
    }

    private DumpOutcome stream(DumpTarget target, Path partialFile, DumpObserver observer, Process process,
            List<String> secrets, String dumpToolVersion, Instant startedAt, RowCounting counting) {
        // stderr is drained on its own thread from the start, so pg_dump can never block on a full stderr pipe
        // while this thread waits on stdout (or the other way round)
        StderrTail stderr = StderrTail.start(process.getErrorStream());
        Copied copied;
        try {
            copied = Copied.from(process.getInputStream(), () -> {
                OutputStream out = writer.open(partialFile);
                observer.stagingStarted(partialFile, startedAt);
                return out;
            }, compression, observer);
        } catch (StagingWriteException e) {
            stop(process, stderr);
            deleteQuietly(partialFile);
            return new DumpOutcome.Failed(FailureReason.scrub("cannot write the dump to staging dir "
                    + partialFile.getParent() + ": " + describe(e.getCause()), secrets), true);
        } catch (IOException e) {
            // reading pg_dump's stdout failed, or opening the staging file failed
            stop(process, stderr);
            deleteQuietly(partialFile);
            return new DumpOutcome.Failed(FailureReason.scrub("cannot stage the dump in "
                    + partialFile.getParent() + ": " + describe(e), secrets), true);
        } catch (RuntimeException | Error e) {
            stop(process, stderr);
            deleteQuietly(partialFile);
            throw e;
        }
        int exit;
        try {
            exit = process.waitFor();
            stderr.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process, stderr);
            deleteQuietly(partialFile);
            throw new IllegalStateException("interrupted while waiting for pg_dump of target " + target.name(), e);
        }
        Instant finishedAt = clock.instant();
        if (exit != 0) {
            deleteQuietly(partialFile);
            String reason = FailureReason.ofPgDump(stderr.text(), exit, secrets);
            return new DumpOutcome.Failed(reason, FailureReason.isRetryable(reason));
        }
        Map<String, Long> counts = null;
        if (counting != null) {
            Optional<DumpOutcome.Failed> failed = counting.failure(secrets);
            if (failed.isPresent()) {
                deleteQuietly(partialFile);
                return failed.get();
            }
            counts = counting.counts();
        }
        String serverVersion;
        try {
            serverVersion = ArchiveHeader.serverVersion(copied.head(), copied.headLength());
        } catch (IOException e) {
            log.warn("Cannot read the server version from the archive header of {}: {}", partialFile, e.getMessage());
            serverVersion = "unknown";
        }
        return new DumpOutcome.Dumped(copied.sha256(), copied.size(), copied.read(), serverVersion, dumpToolVersion,
                startedAt, finishedAt, counts);
    }

    /** Counting the rows of a {@link RowCountSnapshot}, on its own thread or on the caller's. */
    private static final class RowCounting {
        private final DumpTarget target;
        private final RowCountSnapshot snapshot;
        private final FutureTask<Map<String, Long>> task;
        private Thread thread;

        private RowCounting(DumpTarget target, RowCountSnapshot snapshot) {
            this.target = target;
            this.snapshot = snapshot;
            this.task = new FutureTask<>(() -> {
                long start = System.nanoTime();
                Map<String, Long> counts = snapshot.count();
                log.info("Counted the rows of {} table(s) of target '{}' in the dump's snapshot in {} ms",
                        counts.size(), target.name(), (System.nanoTime() - start) / 1_000_000);
                return counts;
            });
        }

        static RowCounting start(DumpTarget target, RowCountSnapshot snapshot, boolean ownThread) {
            RowCounting counting = new RowCounting(target, snapshot);
            if (ownThread) {
                counting.thread = new Thread(counting.task, "row-counts-" + target.name());
                counting.thread.setDaemon(true);
                counting.thread.start();
            } else {
                counting.task.run();
            }
            return counting;
        }

        /** Waits for the counts; the failure to report when counting failed. */
        Optional<DumpOutcome.Failed> failure(List<String> secrets) {
            try {
                task.get();
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while counting rows of target " + target.name(), e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String message = cause instanceof SQLException sql ? RowCountSnapshot.describe(sql, secrets)
                        : String.valueOf(cause);
                String reason = FailureReason.scrub("cannot count the rows of target '" + target.name()
                        + "' in the dump's snapshot: " + message, secrets);
                return Optional.of(new DumpOutcome.Failed(reason, FailureReason.isRetryable(reason)));
            }
        }

        Map<String, Long> counts() {
            try {
                return task.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Stops counting that is still running (pg_dump failed) and waits for its thread. */
        void stop() {
            if (!task.isDone()) {
                snapshot.cancel();
            }
            if (thread != null) {
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * A reason to refuse the dump when pg_dump is older than the server. Empty when the versions fit, and also when
     * the server cannot be asked (pg_dump then reports the connection problem itself, with its own message).
     */
    private Optional<String> checkVersions(DumpTarget target, PasswordSource.ChildCredentials credentials,
            String dumpToolVersion) {
        Optional<PgVersion> local = PgVersion.ofToolVersion(dumpToolVersion);
        if (local.isEmpty()) {
            log.warn("Cannot tell the version of {} ('{}'); not comparing it with the server's", pgDump,
                    dumpToolVersion);
            return Optional.empty();
        }
        Optional<PgVersion> server = serverVersion(target, credentials);
        server.ifPresent(s -> log.info("Target '{}' runs PostgreSQL {}; pg_dump is {}", target.name(), s,
                local.get()));
        return server.flatMap(s -> tooOld(local.get(), s, agentId));
    }

    /** The refusal reason when a pg_dump of version {@code local} cannot dump a server of version {@code server}. */
    static Optional<String> tooOld(PgVersion local, PgVersion server, String agentId) {
        if (!local.isOlderMajorThan(server)) {
            return Optional.empty();
        }
        return Optional.of("pg_dump " + local + " is older than the server (" + server + "): install pg_dump "
                + server.major() + " or newer on agent '" + agentId + "'");
    }

    /** {@code server_version_num} via psql from the same bin dir with the same environment as pg_dump. */
    private Optional<PgVersion> serverVersion(DumpTarget target, PasswordSource.ChildCredentials credentials) {
        if (!Files.isExecutable(psql)) {
            if (!psqlMissingLogged) {
                psqlMissingLogged = true;
                log.warn("No psql next to {}: the server's version is not checked before dumping (pg_dump refuses "
                        + "a newer server itself)", pgDump);
            }
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(List.of(psql.toString(), "-X", "-A", "-t", "-q"));
        command.addAll(connectionArguments(target));
        command.addAll(List.of("-c", "show server_version_num"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        childEnvironment(builder.environment(), credentials.environment());
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            // merged stdout+stderr, bounded; psql prints a line or a short error and exits
            byte[] out = p.getInputStream().readNBytes(16 * 1024);
            if (!p.waitFor(VERSION_QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("psql did not tell the server version of target '{}' within {}", target.name(),
                        VERSION_QUERY_TIMEOUT);
                return Optional.empty();
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            Optional<PgVersion> version = p.exitValue() == 0 ? PgVersion.ofServerVersionNum(text) : Optional.empty();
            if (version.isEmpty()) {
                log.debug("Cannot ask target '{}' for its version (psql exit {}); pg_dump will tell what is wrong",
                        target.name(), p.exitValue());
            }
            return version;
        } catch (IOException e) {
            log.warn("Cannot run {}: {}", psql, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code pg_dump --version}, e.g. {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-1)}; asked once. */
    public String toolVersion() {
        String cached = toolVersion;
        if (cached != null) {
            return cached;
        }
        String version = askToolVersion();
        if (!"unknown".equals(version)) {
            toolVersion = version;
        }
        return version;
    }

    private String askToolVersion() {
        try {
            Process p = new ProcessBuilder(pgDump.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1024);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String first = new String(out, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
            return p.exitValue() == 0 && !first.isEmpty() ? first : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Inherited {@code PG*} variables are dropped so that only this target's settings reach libpq; messages are
     * kept in English so failures can be classified; a connection attempt is bounded.
     */
    static void childEnvironment(Map<String, String> env, Map<String, String> credentials) {
        env.keySet().removeIf(name -> name.startsWith("PG"));
        env.put("LC_ALL", "C");
        env.put("LC_MESSAGES", "C");
        env.put("PGCONNECT_TIMEOUT", "10");
        env.putAll(credentials);
    }

    private static void stop(Process process, StderrTail stderr) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            stderr.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Opens the staging file. */
    @FunctionalInterface
    interface Opener {
        OutputStream open() throws IOException;
    }

    /**
     * What one copy produced: SHA-256 and size of the staged bytes, bytes read from pg_dump, and the start of the
     * archive (for its header).
     */
    record Copied(String sha256, long size, long read, byte[] head, int headLength) {

        /**
         * Copies {@code in} through the compressor into the staging file, digesting what reaches the file. The
         * staging file is closed (and synced) before this returns or throws.
         *
         * @throws StagingWriteException when writing (or syncing) the staging file fails
         * @throws IOException           when reading {@code in} or opening the file fails
         */
        static Copied from(InputStream in, Opener opener, DumpCompression compression, DumpObserver observer)
                throws IOException {
            byte[] buffer = new byte[BUFFER_BYTES];
            byte[] head = new byte[HEADER_BYTES];
            int headLength = 0;
            long read = 0;
            DigestingSink sink;
            try (DigestingSink s = new DigestingSink(opener.open(), observer); OutputStream out = compression.wrap(s)) {
                sink = s;
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (headLength < head.length) {
                        int keep = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, keep);
                        headLength += keep;
                    }
                    out.write(buffer, 0, n);
                    read += n;
                    observer.read(n);
                }
                // closing (below) finishes the zstd frame and syncs the file; a failure there is a staging failure
            }
            return new Copied(sink.sha256(), sink.size(), read, head, headLength);
        }
    }

    /**
     * The staging file's stream: digests and counts what is written, reports it to the observer, turns write
     * failures into {@link StagingWriteException}s and closes the file once, however often it is closed.
     */
    static final class DigestingSink extends OutputStream {
        private final OutputStream file;
        private final DumpObserver observer;
        private final MessageDigest sha;
        private long size;
        private boolean closed;

        DigestingSink(OutputStream file, DumpObserver observer) {
            this.file = file;
            this.observer = observer;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                file.write(b, off, len);
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
            sha.update(b, off, len);
            size += len;
            observer.staged(len);
        }

        @Override
        public void flush() throws IOException {
            try {
                file.flush();
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                file.close();
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
        }

        String sha256() {
            return HexFormat.of().formatHex(sha.digest());
        }

        long size() {
            return size;
        }
    }

    /** Writing the staging file failed (as opposed to reading pg_dump's output). */
    static final class StagingWriteException extends IOException {
        StagingWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Drains a stream on its own thread, keeping only its last {@value #STDERR_TAIL_BYTES} bytes. */
    static final class StderrTail {
        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        private int buffered;
        private final Thread thread;

        private StderrTail(InputStream in) {
            thread = new Thread(() -> drain(in), "pg_dump-stderr");
            thread.setDaemon(true);
        }

        static StderrTail start(InputStream in) {
            StderrTail tail = new StderrTail(in);
            tail.thread.start();
            return tail;
        }

        private void drain(InputStream in) {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    append(java.util.Arrays.copyOf(buffer, n));
                }
            } catch (IOException ignored) {
                // the process went away; keep what was read
            }
        }

        private synchronized void append(byte[] chunk) {
            chunks.addLast(chunk);
            buffered += chunk.length;
            while (buffered - chunks.peekFirst().length >= STDERR_TAIL_BYTES) {
                buffered -= chunks.removeFirst().length;
            }
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }

        synchronized String text() {
            ByteArrayOutputStream all = new ByteArrayOutputStream(buffered);
            chunks.forEach(all::writeBytes);
            byte[] bytes = all.toByteArray();
            int from = Math.max(0, bytes.length - STDERR_TAIL_BYTES);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        }
    }
}
