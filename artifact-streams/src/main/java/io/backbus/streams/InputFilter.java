package io.backbus.streams;

import java.io.IOException;
import java.io.InputStream;

/**
 * One step of an {@link InputPipeline}: wraps the stream the bytes come from. Reading the returned stream reads
 * {@code upstream} and yields its bytes processed (hashed, counted, decompressed, decrypted, ...); closing it closes
 * {@code upstream}.
 *
 * <p>Filters that measure ({@link Sha256Digest}, {@link ByteCount}, ...) are single-use: each wraps one stream,
 * once. Implement this interface to contribute a filter from another module (artifact-crypto's decryption does).
 */
@FunctionalInterface
public interface InputFilter {

    /**
     * @param upstream where the bytes come from; closed when the returned stream is closed
     * @throws IOException if starting the step already reads {@code upstream} (a header) and that fails
     */
    InputStream wrap(InputStream upstream) throws IOException;
}
