package io.backbus.streams;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * zstd compression (zstd-jni): {@link #compress} writes one frame with content checksum, {@link #decompress} reads
 * frames. A corrupt or truncated frame fails a read with zstd's {@link IOException} (no
 * {@link EndpointFailedException}: the bytes are wrong, the source did not fail).
 */
public final class Zstd {

    private static final int DRAIN_BUFFER = 8192;

    private Zstd() {
    }

    /** Compresses at {@code level} on the writing thread. */
    public static OutputFilter compress(int level) {
        return compress(level, 0);
    }

    /**
     * Compresses at {@code level} with {@code workers} background threads (0: on the writing thread).
     *
     * @param level   zstd level, {@link com.github.luben.zstd.Zstd#minCompressionLevel()} to
     *                {@link com.github.luben.zstd.Zstd#maxCompressionLevel()} (the project uses 1-19)
     * @param workers worker threads, 0 or more
     */
    public static OutputFilter compress(int level, int workers) {
        int min = com.github.luben.zstd.Zstd.minCompressionLevel();
        int max = com.github.luben.zstd.Zstd.maxCompressionLevel();
        if (level < min || level > max) {
            throw new IllegalArgumentException("zstd level must be between " + min + " and " + max + " but is "
                    + level);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("workers must not be negative but is " + workers);
        }
        return downstream -> {
            ZstdOutputStream zstd = new ZstdOutputStream(downstream, RecyclingBufferPool.INSTANCE);
            zstd.setLevel(level);
            zstd.setWorkers(workers);
            zstd.setChecksum(true);
            return zstd;
        };
    }

    /**
     * Decompresses. At the end of the last frame it reads its upstream to the end (discarding): whatever follows
     * the frames still passes the filters before this one, so a digest there covers every byte received.
     */
    public static InputFilter decompress() {
        return upstream -> new DrainAtEnd(new ZstdInputStream(upstream, RecyclingBufferPool.INSTANCE), upstream);
    }

    /** Reads {@code upstream} to its end once {@code in} (which reads it) ended. */
    private static final class DrainAtEnd extends FilterInputStream {
        private final InputStream upstream;
        private boolean drained;

        DrainAtEnd(InputStream in, InputStream upstream) {
            super(in);
            this.upstream = upstream;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                drain();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                drain();
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void drain() throws IOException {
            if (!drained) {
                drained = true;
                byte[] scratch = new byte[DRAIN_BUFFER];
                while (upstream.read(scratch) != -1) {
                    // discarded; the filters below saw it
                }
            }
        }
    }
}
