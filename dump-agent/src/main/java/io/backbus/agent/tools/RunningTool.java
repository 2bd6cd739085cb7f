package io.backbus.agent.tools;

import java.io.InputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A started tool: read its {@link #stdout()}, then {@link #finish()}; or {@link #cancel()} it. Closing it kills the
 * process tree if the tool is still running, so {@code try (RunningTool tool = runner.start(...))} never leaves a
 * child behind.
 */
public final class RunningTool implements AutoCloseable {

    private static final long KILL_WAIT_SECONDS = 10;

    private final ToolCommand command;
    private final Process process;
    private final StderrTail stderr;
    private volatile ScheduledFuture<?> watchdog;
    private volatile boolean timedOut;
    private volatile boolean cancelled;

    RunningTool(ToolCommand command, Process process, StderrTail stderr) {
        this.command = command;
        this.process = process;
        this.stderr = stderr;
    }

    void watchedBy(ScheduledFuture<?> timeout) {
        this.watchdog = timeout;
    }

    /** The child's stdout (empty when the command discards it). */
    public InputStream stdout() {
        return process.getInputStream();
    }

    /**
     * Waits until the tool exited and its stderr is drained.
     *
     * @throws ToolException        when it timed out, was cancelled, or exited with a non-zero status
     * @throws InterruptedException when this thread was interrupted; the process tree is killed first
     */
    public void finish() throws ToolException, InterruptedException {
        int exit;
        try {
            exit = process.waitFor();
            stderr.join();
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
        stopWatchdog();
        synchronized (this) {
            // a kill under way (timeout, cancel) ends only once the descendants are gone too
            checkExit(exit);
        }
    }

    private void checkExit(int exit) throws ToolException {
        if (timedOut) {
            throw failure(ToolException.Kind.TIMED_OUT, command.name() + " did not finish within "
                    + command.timeout() + " and was killed", exit);
        }
        if (cancelled) {
            throw failure(ToolException.Kind.CANCELLED, command.name() + " was cancelled", exit);
        }
        if (exit != 0) {
            throw failure(ToolException.Kind.FAILED, command.name() + " exited with status " + exit, exit);
        }
    }

    private ToolException failure(ToolException.Kind kind, String message, int exit) {
        String tail = stderrTail();
        String shown = tail.isBlank() ? message : message + ": " + tail.strip();
        return new ToolException(kind, command.environment().mask(shown), exit, tail);
    }

    /** The last bytes of stderr so far, masked. */
    public String stderrTail() {
        return command.environment().mask(stderr.text());
    }

    /** Kills the process tree and waits (bounded) for it to go; {@link #finish()} then reports it cancelled. */
    public synchronized void cancel() {
        cancelled = true;
        kill();
    }

    synchronized void timeOut() {
        if (!process.isAlive()) {
            return; // exited just as the timeout came due
        }
        timedOut = true;
        kill();
    }

    private synchronized void kill() {
        // descendants first: a tool's own children (pg_dump -j workers, a hook's subshells) must not outlive it
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            for (ProcessHandle d : descendants) {
                d.onExit().get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            stderr.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a descendant that will not go is the kernel's business now; the tool itself is gone
        }
        stopWatchdog();
        try {
            process.getInputStream().close();
        } catch (IOException ignored) {
            // nothing left to read
        }
    }

    private void stopWatchdog() {
        ScheduledFuture<?> w = watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    /** Kills the tool if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            cancel();
        }
        stopWatchdog();
    }
}
