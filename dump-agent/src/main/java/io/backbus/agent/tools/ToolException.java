package io.backbus.agent.tools;

import java.util.Optional;

/**
 * An external tool could not be run, did not finish in time, was cancelled, or exited with a non-zero status. The
 * message names the tool and says which; the stderr tail is kept apart (callers turn it into their own reasons).
 * Both are masked of the command's secrets.
 */
public final class ToolException extends Exception {

    /** What went wrong. */
    public enum Kind {
        /** The program could not be started (missing, not executable). */
        NOT_STARTED,
        /** It ran longer than its timeout and was killed. */
        TIMED_OUT,
        /** It was cancelled (killed) before it finished. */
        CANCELLED,
        /** It exited with a non-zero status. */
        FAILED
    }

    private final Kind kind;
    private final int exitCode;
    private final String stderrTail;

    ToolException(Kind kind, String message, int exitCode, String stderrTail) {
        super(message);
        this.kind = kind;
        this.exitCode = exitCode;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    public Kind kind() {
        return kind;
    }

    /** The exit status, when the tool exited on its own ({@link Kind#FAILED}). */
    public Optional<Integer> exitCode() {
        return kind == Kind.FAILED ? Optional.of(exitCode) : Optional.empty();
    }

    /** The last bytes of the tool's stderr (masked); empty when it said nothing or never ran. */
    public String stderrTail() {
        return stderrTail;
    }
}
