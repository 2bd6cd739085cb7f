package io.backbus.streams;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One step of an {@link OutputPipeline}: wraps the stream the bytes go to next. Bytes written to the returned stream
 * are processed (hashed, counted, compressed, encrypted, ...) and written on to {@code downstream}; closing it
 * finishes the step (a trailer, a final segment) and closes {@code downstream}.
 *
 * <p>Filters that measure ({@link Sha256Digest}, {@link ByteCount}, ...) are single-use: each wraps one stream,
 * once. Implement this interface to contribute a filter from another module (artifact-crypto's encryption does).
 */
@FunctionalInterface
public interface OutputFilter {

    /**
     * @param downstream where the processed bytes go; closed when the returned stream is closed
     * @throws IOException if starting the step already writes to {@code downstream} and that fails
     */
    OutputStream wrap(OutputStream downstream) throws IOException;
}
