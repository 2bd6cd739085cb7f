package io.backbus.streams;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The reading end of an {@link InputPipeline}. Closing it closes every filter and the source, once. */
public final class PipelineInputStream extends InputStream {

    private final InputStream head;
    private final SourceTap source;
    private boolean closed;

    PipelineInputStream(InputStream head, SourceTap source) {
        this.head = head;
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        return head.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return head.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        return head.skip(n);
    }

    @Override
    public int available() throws IOException {
        return head.available();
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
            head.close();
        } catch (IOException | RuntimeException e) {
            try {
                source.close();
            } catch (IOException suppressed) {
                if (suppressed != e) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        source.close();
    }

    /**
     * The source's first failure, if it failed — also when a filter above reported it as something else (Tink's
     * decryption reports a failing source like a ciphertext that does not authenticate). Its
     * {@link EndpointFailedException#failure() failure()} is the source's own exception.
     */
    public Optional<EndpointFailedException> sourceFailure() {
        return Optional.ofNullable(source.failure());
    }

    /**
     * True once the source reported its end: a filter failing after that complains about bytes that were all
     * received (e.g. a truncated zstd frame), not about a source that broke off.
     */
    public boolean sourceEnded() {
        return source.ended();
    }
}
