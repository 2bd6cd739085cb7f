package io.backbus.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child OS process whose stdout/stderr go to a log file. Non-detached children are destroyed when this JVM
 * shuts down; detached ones (for {@code backbus local up --detach}) are left running.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration SHUTDOWN_HOOK_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final boolean detached;
    private final Thread shutdownHook;

    private ChildProcess(String name, Process process, Path logFile, boolean detached) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.detached = detached;
        if (detached) {
            this.shutdownHook = null;
        } else {
            this.shutdownHook = new Thread(() -> stopQuietly(SHUTDOWN_HOOK_GRACE), "stop-" + name);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Starts {@code command} in {@code workDir} (null = current dir) with {@code env} added to this JVM's
     * environment, appending stdout and stderr to {@code logFile}; stdin is empty.
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
            Path logFile, boolean detached) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(logFile, "logFile");
        List<String> cmd = new ArrayList<>(command);
        if (detached) {
            // own session: survives the terminal that ran the CLI being closed (SIGHUP)
            Path setsid = Path.of("/usr/bin/setsid");
            if (Files.isExecutable(setsid)) {
                cmd.add(0, setsid.toString());
            }
        }
        try {
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (workDir != null) {
                Files.createDirectories(workDir);
                pb.directory(workDir.toFile());
            }
            if (env != null) {
                pb.environment().putAll(env);
            }
            Process p = pb.start();
            log.debug("started {} (pid {}), log {}", name, p.pid(), logFile);
            return new ChildProcess(name, p, logFile, detached);
        } catch (IOException e) {
            throw new LocalStackException("cannot start " + name + " (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** The {@code java} executable of the running JVM (so children use the same JDK). */
    public static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean isDetached() {
        return detached;
    }

    public Path logFile() {
        return logFile;
    }

    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    /** Waits up to {@code timeout} for the process to end; true if it has ended. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for " + name, e);
        }
    }

    /** Exit code if the process has ended. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Sends SIGTERM, waits up to {@code grace}, then kills (SIGKILL) the process and its descendants. */
    public void stop(Duration grace) {
        stopQuietly(grace);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // fine
            }
        }
    }

    /** SIGKILL to the process and its descendants at once; waits up to 10 s for it to be gone. */
    public void kill() {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        if (!waitFor(Duration.ofSeconds(10))) {
            throw new LocalStackException(name + " (pid " + pid() + ") still runs 10 s after SIGKILL");
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // fine
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    private void stopQuietly(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        stopHandle(process.toHandle(), grace);
    }

    /**
     * Stops an arbitrary process (e.g. one started detached by an earlier CLI run, known by its pid):
     * SIGTERM, wait up to {@code grace}, then SIGKILL. Returns false if no such process was running.
     */
    public static boolean stopPid(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        stopHandle(handle.get(), grace);
        return true;
    }

    private static void stopHandle(ProcessHandle handle, Duration grace) {
        List<ProcessHandle> descendants = handle.descendants().toList();
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeoutOrInterrupt) {
            log.warn("process {} did not stop within {}; killing it", handle.pid(), grace);
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more we can do
            }
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }

    /** The last {@code lines} lines of the log file (empty string if unreadable). */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    /** The last {@code lines} lines of {@code file}, reading at most the final 64 KiB. */
    public static String tail(Path file, int lines) {
        if (file == null || !Files.isReadable(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int toRead = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[toRead];
            raf.seek(len - toRead);
            raf.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\\R");
            int from = Math.max(0, all.length - lines);
            return String.join(System.lineSeparator(), java.util.Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "";
        }
    }

    /** Builds an exception message with the child's log tail. */
    LocalStackException failure(String what) {
        String exit = exitCode().map(c -> " (exit code " + c + ")").orElse("");
        return new LocalStackException(what + exit + "; log " + logFile + ", last lines:" + System.lineSeparator()
                + logTail(40));
    }

    /**
     * Polls {@code uri} until it answers with an HTTP status below 500; fails fast (with the log tail) if
     * {@code p} dies, or after {@code timeout}.
     */
    public static void awaitHttp(URI uri, Duration timeout, ChildProcess p) {
        awaitHttp(uri, timeout, p, status -> status < 500);
    }

    /** Like {@link #awaitHttp(URI, Duration, ChildProcess)} with a custom acceptance test on the status code. */
    public static void awaitHttp(URI uri, Duration timeout, ChildProcess p, IntPredicate acceptStatus) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            if (p != null && !p.isAlive()) {
                throw p.failure(p.name() + " exited while waiting for " + uri);
            }
            try {
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
                HttpResponse<Void> resp = client.send(req, HttpResponse.BodyHandlers.discarding());
                if (acceptStatus.test(resp.statusCode())) {
                    return;
                }
                last = "HTTP " + resp.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + uri, e);
            }
            if (System.nanoTime() > deadline) {
                String msg = "timed out after " + timeout.toSeconds() + " s waiting for " + uri + " (last: " + last
                        + ")";
                throw p != null ? p.failure(p.name() + " " + msg) : new LocalStackException(msg);
            }
            sleep(250);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + (isAlive() ? "" : ", exited") + "]";
    }
}
