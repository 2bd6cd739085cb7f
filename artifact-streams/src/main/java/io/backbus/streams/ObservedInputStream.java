package io.backbus.streams;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Reads, then shows the filter what was read; skipping reads through, so the filter sees every byte. */
final class ObservedInputStream extends InputStream {

    private static final int SKIP_BUFFER = 8192;

    private final InputStream in;
    private final ObservingFilter filter;
    private boolean ended;

    ObservedInputStream(InputStream in, ObservingFilter filter) {
        this.in = Objects.requireNonNull(in, "upstream");
        this.filter = filter;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int n = in.read(b, off, len);
        if (n < 0) {
            end();
        } else if (n > 0) {
            filter.passed(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        byte[] scratch = new byte[(int) Math.min(SKIP_BUFFER, n)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public boolean markSupported() {
        // a reset would show the filter the same bytes twice
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            end();
        } finally {
            in.close();
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            filter.end();
        }
    }
}
