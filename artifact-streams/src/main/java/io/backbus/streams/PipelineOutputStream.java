package io.backbus.streams;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The writing end of an {@link OutputPipeline}. Closing it finishes every filter and closes the sink, once; after a
 * failure the sink is still closed, so when closing would commit what the sink holds (a multipart upload) abort the
 * sink yourself before.
 */
public final class PipelineOutputStream extends OutputStream {

    private final OutputStream head;
    private final SinkGuard sink;
    private boolean closed;

    PipelineOutputStream(OutputStream head, SinkGuard sink) {
        this.head = head;
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        head.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        head.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        head.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            head.close();
        } catch (IOException | RuntimeException e) {
            closeSink(e);
            throw e;
        }
        // a filter that failed to close its downstream must not leave the sink open
        sink.close();
    }

    private void closeSink(Exception primary) {
        try {
            sink.close();
        } catch (IOException e) {
            if (e != primary) {
                primary.addSuppressed(e);
            }
        }
    }

    /**
     * The sink's first failure (writing, flushing or closing), if it failed — whatever the filters in between made
     * of it. Its {@link EndpointFailedException#failure() failure()} is the sink's own exception.
     */
    public Optional<EndpointFailedException> sinkFailure() {
        return Optional.ofNullable(sink.failure());
    }
}
