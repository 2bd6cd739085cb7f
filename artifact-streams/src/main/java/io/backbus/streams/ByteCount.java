package io.backbus.streams;

/**
 * Counts the bytes that pass, on either side of a pipeline. One thread moves the bytes; any thread may read
 * {@link #bytes()} at any time (a progress ticker on its own thread does).
 */
public final class ByteCount extends ObservingFilter {

    private volatile long bytes;

    @Override
    void passed(byte[] b, int off, int len) {
        bytes += len; // one writer: a volatile is enough
    }

    /** Bytes passed so far. */
    public long bytes() {
        return bytes;
    }

    /** True once the stream ended: the output was closed, the input reached its end or was closed. */
    public boolean ended() {
        return hasEnded();
    }
}
