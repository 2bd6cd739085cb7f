package io.backbus.streams;

import io.backbus.streams.EndpointFailedException.Endpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The last step of an output pipeline, in front of its sink: turns the sink's failures into
 * {@link EndpointFailedException}s (SINK), remembers the first, and closes the sink once however often it is closed.
 */
final class SinkGuard extends OutputStream {

    private final OutputStream sink;
    private volatile EndpointFailedException failure;
    private boolean closed;

    SinkGuard(OutputStream sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            sink.write(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            sink.flush();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            throw failed(e);
        }
    }

    EndpointFailedException failure() {
        return failure;
    }

    private EndpointFailedException failed(Exception e) {
        EndpointFailedException wrapped = new EndpointFailedException(Endpoint.SINK, e);
        if (failure == null) {
            failure = wrapped;
        }
        return wrapped;
    }
}
