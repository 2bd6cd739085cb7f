package io.backbus.streams;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** Writes on, then shows the filter what was written; a failed write is not shown. */
final class ObservedOutputStream extends OutputStream {

    private final OutputStream out;
    private final ObservingFilter filter;
    private boolean closed;

    ObservedOutputStream(OutputStream out, ObservingFilter filter) {
        this.out = Objects.requireNonNull(out, "downstream");
        this.filter = filter;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        out.write(b, off, len);
        if (len > 0) {
            filter.passed(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
        filter.flushed();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            filter.end();
        } finally {
            out.close();
        }
    }
}
