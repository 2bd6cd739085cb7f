package io.backbus.streams;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Copies the bytes that pass to a second stream, the branch, on either side of a pipeline: after the next step
 * accepted them (output) or as they are read (input). The branch is flushed with the pipeline but never closed — its
 * owner closes it. A failing branch fails the pipeline with the branch's own {@link IOException} (not an
 * {@link EndpointFailedException}: the branch is no end of the pipeline).
 */
public final class Tee extends ObservingFilter {

    private final OutputStream branch;

    private Tee(OutputStream branch) {
        this.branch = Objects.requireNonNull(branch, "branch");
    }

    /** A tee into {@code branch}. */
    public static Tee to(OutputStream branch) {
        return new Tee(branch);
    }

    @Override
    void passed(byte[] b, int off, int len) throws IOException {
        branch.write(b, off, len);
    }

    @Override
    void flushed() throws IOException {
        branch.flush();
    }
}
