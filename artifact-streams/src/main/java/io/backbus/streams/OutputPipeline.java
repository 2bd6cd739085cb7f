package io.backbus.streams;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Composes {@link OutputFilter}s in front of a sink, in the order the bytes pass them: in
 * {@code OutputPipeline.of(plainDigest, Zstd.compress(3), stagedDigest).into(file)} the bytes written are hashed by
 * {@code plainDigest}, compressed, hashed again by {@code stagedDigest} (over the compressed bytes) and written to
 * {@code file}. Moving a filter moves what it sees.
 *
 * <p>The sink is guarded: its failures surface as {@link EndpointFailedException} (SINK) and are remembered by the
 * {@link PipelineOutputStream}, so a full disk or a failed upload is never taken for a filter's fault.
 *
 * <p>A builder for one stream: the measuring filters it holds are single-use.
 */
public final class OutputPipeline {

    private final List<OutputFilter> filters = new ArrayList<>();

    private OutputPipeline() {
    }

    /** A pipeline through {@code filters}, first to last; none at all is fine (just the sink's guard). */
    public static OutputPipeline of(OutputFilter... filters) {
        OutputPipeline pipeline = new OutputPipeline();
        for (OutputFilter f : filters) {
            pipeline.then(f);
        }
        return pipeline;
    }

    /** Adds {@code filter} after those already added (nearer the sink). */
    public OutputPipeline then(OutputFilter filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Opens the pipeline onto {@code sink}. Closing the returned stream finishes every filter (trailers, final
     * segments) and closes the sink. If this throws, the sink is not closed: it is still the caller's.
     *
     * @throws EndpointFailedException when a filter writes a header and the sink fails
     * @throws IOException             when a filter cannot start
     */
    public PipelineOutputStream into(OutputStream sink) throws IOException {
        SinkGuard guard = new SinkGuard(sink);
        OutputStream head = guard;
        try {
            for (int i = filters.size() - 1; i >= 0; i--) {
                head = Objects.requireNonNull(filters.get(i).wrap(head), "a filter returned no stream");
            }
        } catch (IOException | RuntimeException e) {
            EndpointFailedException endpoint = guard.failure();
            if (endpoint != null && endpoint != e) {
                // the filter's complaint is a consequence
                endpoint.addSuppressed(e);
                throw endpoint;
            }
            throw e;
        }
        return new PipelineOutputStream(head, guard);
    }
}
