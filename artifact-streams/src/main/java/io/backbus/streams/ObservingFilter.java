package io.backbus.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A filter that sees the bytes go by without changing them (digest, count, progress, tee, head), usable on either
 * side. Single-use: it follows exactly one stream.
 */
abstract class ObservingFilter implements OutputFilter, InputFilter {

    private final AtomicBoolean used = new AtomicBoolean();
    private volatile boolean ended;

    @Override
    public final OutputStream wrap(OutputStream downstream) {
        claim();
        return new ObservedOutputStream(downstream, this);
    }

    @Override
    public final InputStream wrap(InputStream upstream) {
        claim();
        return new ObservedInputStream(upstream, this);
    }

    private void claim() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException(getClass().getSimpleName() + " follows one stream only; create another");
        }
        started();
    }

    /** The stream is wrapped and about to carry bytes. */
    void started() {
    }

    /** {@code len} bytes passed: written on successfully (output) or read (input). */
    abstract void passed(byte[] b, int off, int len) throws IOException;

    /** The output was flushed (after its downstream). */
    void flushed() throws IOException {
    }

    /** The stream ended: the output was closed, the input reached its end or was closed. Called once. */
    void end() {
        ended = true;
    }

    /** True once the stream ended. */
    final boolean hasEnded() {
        return ended;
    }
}
