package io.backbus.agent.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts {@link ToolCommand}s; the one place the agent creates a child process. Thread-safe. */
public final class ToolRunner {

    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);
    /** Shared by every runner: only sleeps until a timeout is due, then kills. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tool-timeouts");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts {@code command}: stdin closed at once (tools here never read it), stderr drained into its tail.
     *
     * @throws ToolException ({@link ToolException.Kind#NOT_STARTED}) when the program cannot be started
     */
    public RunningTool start(ToolCommand command) throws ToolException {
        ProcessBuilder builder = new ProcessBuilder(command.commandLine());
        command.environment().applyTo(builder.environment());
        if (command.stdout() == ToolCommand.Stdout.DISCARD) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        log.debug("Running {}", command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ToolException(ToolException.Kind.NOT_STARTED, command.environment().mask("cannot run "
                    + command.program() + ": " + e.getMessage()), -1, "");
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin is not used
        }
        StderrTail stderr = StderrTail.start(process.getErrorStream(), command.name(), command.stderrTail(),
                command.stderrLines());
        RunningTool tool = new RunningTool(command, process, stderr);
        if (command.timeout() != null) {
            tool.watchedBy(WATCHDOG.schedule(tool::timeOut, command.timeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        return tool;
    }

    /**
     * Runs {@code command} to its end and returns (at most {@code stdoutLimit} bytes of) its stdout; the rest of
     * stdout is read and thrown away so the tool never blocks on it.
     *
     * @throws ToolException        when it cannot start, times out or exits with a non-zero status
     * @throws InterruptedException when this thread was interrupted (the tool is killed)
     */
    public String output(ToolCommand command, int stdoutLimit) throws ToolException, InterruptedException {
        try (RunningTool tool = start(command.withStdout(ToolCommand.Stdout.PIPE))) {
            byte[] out;
            try (InputStream in = tool.stdout()) {
                out = in.readNBytes(stdoutLimit);
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                out = new byte[0]; // killed (timeout) or gone: finish() tells which
            }
            tool.finish();
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
