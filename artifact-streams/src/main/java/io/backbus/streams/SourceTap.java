package io.backbus.streams;

import io.backbus.streams.EndpointFailedException.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The first step of an input pipeline, on its source: turns the source's failures into
 * {@link EndpointFailedException}s (SOURCE) and remembers the first. A filter above may hide it — Tink reports a
 * failing source like a ciphertext that does not authenticate — so the pipeline can still tell a dropped
 * connection from a corrupt backup.
 */
final class SourceTap extends InputStream {

    private final InputStream source;
    private volatile EndpointFailedException failure;
    private volatile boolean ended;
    private boolean closed;

    SourceTap(InputStream source) {
        this.source = Objects.requireNonNull(source, "source");
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
        int n;
        try {
            n = source.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
        if (n < 0) {
            ended = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return source.skip(n);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return source.available();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    EndpointFailedException failure() {
        return failure;
    }

    boolean ended() {
        return ended;
    }

    private EndpointFailedException failed(Exception e) {
        EndpointFailedException wrapped = new EndpointFailedException(Endpoint.SOURCE, e);
        if (failure == null) {
            failure = wrapped;
        }
        return wrapped;
    }
}
