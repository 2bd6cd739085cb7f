package io.backbus.streams;

import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Counts the bytes that pass, on either side of a pipeline. One thread moves the bytes; any thread may read
 * {@link #bytes()} at any time (a progress ticker on its own thread does). {@link #notifying} also tells a listener
 * the size of every chunk as it passes (a metrics counter, an observer adding up deltas).
 */
public final class ByteCount extends ObservingFilter {

    private static final LongConsumer NOBODY = bytes -> {
    };

    private final LongConsumer chunks;
    private volatile long bytes;

    /** A plain count. */
    public ByteCount() {
        this(NOBODY);
    }

    private ByteCount(LongConsumer chunks) {
        this.chunks = Objects.requireNonNull(chunks, "chunks");
    }

    /**
     * A count that also passes the size of every chunk (bytes written on successfully, or read) to {@code chunks},
     * on the thread that moves the bytes; it should be cheap and must not block.
     */
    public static ByteCount notifying(LongConsumer chunks) {
        return new ByteCount(chunks);
    }

    @Override
    void passed(byte[] b, int off, int len) {
        bytes += len; // one writer: a volatile is enough
        chunks.accept(len);
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
