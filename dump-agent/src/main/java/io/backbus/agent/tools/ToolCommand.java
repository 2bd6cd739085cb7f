package io.backbus.agent.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What to run: a program and its arguments (never a secret), its {@link ChildEnvironment}, how long it may run, what
 * happens to its stdout and how much of its stderr is kept. Immutable; each {@code with...} returns a copy.
 *
 * @param program       the executable
 * @param arguments     its arguments
 * @param environment   its environment (and the secrets to mask)
 * @param timeout       how long it may run before its process tree is killed; null: as long as it takes
 * @param stdout        whether the caller reads stdout ({@link Stdout#PIPE}) or it is thrown away
 * @param stderrTail    how many of the last stderr bytes are kept for the failure
 * @param stderrLines   told of every stderr line (on the draining thread), or null
 */
public record ToolCommand(Path program, List<String> arguments, ChildEnvironment environment, Duration timeout,
        Stdout stdout, int stderrTail, Consumer<String> stderrLines) {

    /** Kept of stderr by default: enough for the messages that explain a failure. */
    public static final int DEFAULT_STDERR_TAIL = 8 * 1024;

    /** What happens to the child's stdout. */
    public enum Stdout {
        /** Read by the caller through {@link RunningTool#stdout()}. */
        PIPE,
        /** Thrown away. */
        DISCARD
    }

    public ToolCommand {
        arguments = List.copyOf(arguments);
        if (stderrTail <= 0) {
            throw new IllegalArgumentException("stderrTail must be positive, was " + stderrTail);
        }
    }

    /** {@code program arguments...} in this process's environment, without timeout, stdout piped. */
    public static ToolCommand of(Path program, List<String> arguments) {
        return new ToolCommand(program, arguments, ChildEnvironment.inherited(), null, Stdout.PIPE,
                DEFAULT_STDERR_TAIL, null);
    }

    public ToolCommand withEnvironment(ChildEnvironment env) {
        return new ToolCommand(program, arguments, env, timeout, stdout, stderrTail, stderrLines);
    }

    public ToolCommand withTimeout(Duration limit) {
        return new ToolCommand(program, arguments, environment, limit, stdout, stderrTail, stderrLines);
    }

    public ToolCommand withStdout(Stdout mode) {
        return new ToolCommand(program, arguments, environment, timeout, mode, stderrTail, stderrLines);
    }

    public ToolCommand withStderrTail(int bytes) {
        return new ToolCommand(program, arguments, environment, timeout, stdout, bytes, stderrLines);
    }

    public ToolCommand withStderrLines(Consumer<String> lines) {
        return new ToolCommand(program, arguments, environment, timeout, stdout, stderrTail, lines);
    }

    /** The program's file name, e.g. {@code pg_dump}: how failures name it. */
    public String name() {
        Path file = program.getFileName();
        return file == null ? program.toString() : file.toString();
    }

    /** The command line: program and arguments. */
    public List<String> commandLine() {
        List<String> line = new ArrayList<>(arguments.size() + 1);
        line.add(program.toString());
        line.addAll(arguments);
        return line;
    }

    /** The command line (masked all the same, should a secret ever slip into it) and the environment: safe to log. */
    @Override
    public String toString() {
        return environment.mask(String.join(" ", commandLine())) + " with " + environment;
    }
}
