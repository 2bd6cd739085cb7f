package io.backbus.agent.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code pg_dump -Fc} for a target, streaming its stdout into a staging file while computing SHA-256 and size
 * in the same pass. The password reaches pg_dump only through its environment; the command line carries host,
 * port, user and database, never a secret.
 */
public class PgDump {

    private static final Logger log = LoggerFactory.getLogger(PgDump.class);
    static final int STDERR_TAIL_BYTES = 8 * 1024;

    /** Opens the staging file for writing; replaceable in tests (e.g. by a full disk). */
    @FunctionalInterface
    public interface StagingWriter {
        OutputStream open(Path file) throws IOException;
    }

    private final Path pgDump;
    private final Function<String, String> getenv;
    private final Clock clock;
    private final StagingWriter writer;

    public PgDump(Path binDir, Function<String, String> getenv, Clock clock, StagingWriter writer) {
        this.pgDump = binDir.resolve("pg_dump");
        this.getenv = getenv;
        this.clock = clock;
        this.writer = writer;
    }

    /** The pg_dump arguments for a target: no secret, and {@code --no-password} so it never prompts. */
    public List<String> command(DumpTarget target) {
        return List.of(pgDump.toString(), "-Fc", "-h", target.host(), "-p", String.valueOf(target.port()),
                "-U", target.user(), "-d", target.database(), "--no-password");
    }

    /**
     * Dumps {@code target} into {@code partialFile}. On failure the partial file is deleted and the outcome carries
     * a scrubbed reason; this method does not throw for pg_dump or staging trouble.
     */
    public DumpOutcome dump(DumpTarget target, Path partialFile) {
        Instant startedAt = clock.instant();
        PasswordSource.ChildCredentials credentials;
        try {
            credentials = target.passwordSource().resolve(getenv);
        } catch (CredentialsUnavailableException e) {
            return new DumpOutcome.Failed("no password for target '" + target.name() + "': " + e.getMessage(), false);
        }
        List<String> secrets = credentials.secrets();
        ProcessBuilder builder = new ProcessBuilder(command(target));
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
        StderrTail stderr = StderrTail.start(process.getErrorStream());
        Copied copied;
        try (OutputStream out = writer.open(partialFile)) {
            copied = Copied.from(process.getInputStream(), out);
        } catch (StagingWriteException e) {
            stop(process, stderr);
            deleteQuietly(partialFile);
            return new DumpOutcome.Failed(FailureReason.scrub("cannot write the dump to staging dir "
                    + partialFile.getParent() + ": " + describe(e.getCause()), secrets), true);
        } catch (IOException e) {
            // reading pg_dump's stdout failed, or opening/closing the staging file failed
            stop(process, stderr);
            deleteQuietly(partialFile);
            return new DumpOutcome.Failed(FailureReason.scrub("cannot stage the dump in "
                    + partialFile.getParent() + ": " + describe(e), secrets), true);
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
        String serverVersion;
        try {
            serverVersion = ArchiveHeader.serverVersion(partialFile);
        } catch (IOException e) {
            log.warn("Cannot read the server version from the archive header of {}: {}", partialFile, e.getMessage());
            serverVersion = "unknown";
        }
        return new DumpOutcome.Dumped(copied.sha256(), copied.size(), serverVersion, toolVersion(), startedAt,
                finishedAt);
    }

    /** {@code pg_dump --version}, e.g. {@code pg_dump (PostgreSQL) 15.18 (Debian 15.18-1)}. */
    public String toolVersion() {
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

    /** Bytes written and their SHA-256, computed while copying. */
    record Copied(String sha256, long size) {

        static Copied from(InputStream in, OutputStream out) throws IOException {
            java.security.MessageDigest sha;
            try {
                sha = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
            byte[] buffer = new byte[64 * 1024];
            long size = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new StagingWriteException(e);
                }
                sha.update(buffer, 0, n);
                size += n;
            }
            try {
                out.flush();
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
            return new Copied(java.util.HexFormat.of().formatHex(sha.digest()), size);
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
