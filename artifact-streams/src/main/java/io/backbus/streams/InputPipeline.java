package io.backbus.streams;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Composes {@link InputFilter}s behind a source, in the order the bytes pass them: in
 * {@code InputPipeline.of(received, Zstd.decompress(), staged).from(body)} the bytes read from {@code body} are
 * counted or hashed by {@code received}, decompressed, then seen by {@code staged} (the decompressed bytes) before
 * the reader gets them. Moving a filter moves what it sees.
 *
 * <p>The source is tapped: its failures surface as {@link EndpointFailedException} (SOURCE) and are remembered by
 * the {@link PipelineInputStream} even when a filter above reports them as something else (Tink's decryption does).
 *
 * <p>A builder for one stream: the measuring filters it holds are single-use.
 */
public final class InputPipeline {

    private final List<InputFilter> filters = new ArrayList<>();

    private InputPipeline() {
    }

    /** A pipeline through {@code filters}, first (nearest the source) to last; none at all is fine. */
    public static InputPipeline of(InputFilter... filters) {
        InputPipeline pipeline = new InputPipeline();
        for (InputFilter f : filters) {
            pipeline.then(f);
        }
        return pipeline;
    }

    /** Adds {@code filter} after those already added (nearer the reader). */
    public InputPipeline then(InputFilter filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Opens the pipeline on {@code source}. Closing the returned stream closes every filter and the source. If
     * this throws, the source is not closed: it is still the caller's.
     *
     * @throws EndpointFailedException when a filter reads a header and the source fails
     * @throws IOException             when a filter cannot start (a header that is not what it expects)
     */
    public PipelineInputStream from(InputStream source) throws IOException {
        SourceTap tap = new SourceTap(source);
        InputStream head = tap;
        try {
            for (InputFilter f : filters) {
                head = Objects.requireNonNull(f.wrap(head), "a filter returned no stream");
            }
        } catch (IOException | RuntimeException e) {
            EndpointFailedException endpoint = tap.failure();
            if (endpoint != null && endpoint != e) {
                // the filter's complaint is a consequence
                endpoint.addSuppressed(e);
                throw endpoint;
            }
            throw e;
        }
        return new PipelineInputStream(head, tap);
    }
}
