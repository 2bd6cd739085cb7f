package io.backbus.uploader.pull;

import io.backbus.uploader.domain.StalledStreamException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A body stream that fails when no byte arrives for {@code idleTimeout}: {@code java.net.http} has a timeout for the
 * response headers but none for a body that stops flowing, so a watchdog checks the time of the last byte and
 * closes the stream under a blocked reader, whose read then throws {@link StalledStreamException}.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

    private final Duration idleTimeout;
    private final ScheduledFuture<?> watchdog;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;
    private volatile boolean closed;

    IdleTimeoutInputStream(InputStream in, Duration idleTimeout, ScheduledExecutorService scheduler) {
        super(in);
        this.idleTimeout = idleTimeout;
        long period = Math.max(10, Math.min(1000, idleTimeout.toMillis() / 4));
        this.watchdog = scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (closed || System.nanoTime() - lastProgress < idleTimeout.toNanos()) {
            return;
        }
        stalled = true;
        watchdog.cancel(false);
        try {
            in.close(); // wakes the blocked reader
        } catch (IOException | RuntimeException e) {
            // the reader still sees `stalled` on its next read
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        throwIfStalled();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throwIfStalled();
            throw e;
        }
        // a stream closed under the reader may just report its end
        throwIfStalled();
        if (n > 0) {
            lastProgress = System.nanoTime();
        }
        return n;
    }

    private void throwIfStalled() throws StalledStreamException {
        if (stalled) {
            throw new StalledStreamException("artifact stream stalled for " + format(idleTimeout));
        }
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watchdog.cancel(false);
        super.close();
    }
}
