package io.backbus.streams;

import java.util.Objects;
import java.util.Optional;

/**
 * An end of a pipeline failed, as opposed to one of its filters: the {@link Endpoint#SOURCE source} an
 * {@link InputPipeline} reads (a connection dropped, a child process's pipe broke) or the {@link Endpoint#SINK sink}
 * an {@link OutputPipeline} writes (the staging disk is full, the upload failed). Its cause is the endpoint's own
 * exception, its message that exception's message. Everything else a pipeline throws is a filter's complaint about
 * the bytes (not zstd, not authentic, ...).
 *
 * <p>Filters in between may wrap it, or, like Tink's decryption, report it as something else; so look for it with
 * {@link #in(Throwable)}, or ask the pipeline stream ({@link PipelineInputStream#sourceFailure()},
 * {@link PipelineOutputStream#sinkFailure()}), which remembers it whatever the filters did.
 */
public final class EndpointFailedException extends java.io.IOException {

    private static final long serialVersionUID = 1L;

    /** Which end of a pipeline failed. */
    public enum Endpoint {
        /** The stream an input pipeline reads from. */
        SOURCE,
        /** The stream an output pipeline writes to. */
        SINK
    }

    private final Endpoint endpoint;

    EndpointFailedException(Endpoint endpoint, Exception cause) {
        super(cause.getMessage(), Objects.requireNonNull(cause, "cause"));
        this.endpoint = endpoint;
    }

    /** Which end failed. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** True when the source failed (reading). */
    public boolean isSource() {
        return endpoint == Endpoint.SOURCE;
    }

    /** True when the sink failed (writing, flushing or closing). */
    public boolean isSink() {
        return endpoint == Endpoint.SINK;
    }

    /** The endpoint's own exception. */
    public Exception failure() {
        return (Exception) getCause();
    }

    /** The first {@code EndpointFailedException} in {@code thrown}'s cause chain (itself included), if any. */
    public static Optional<EndpointFailedException> in(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof EndpointFailedException e) {
                return Optional.of(e);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
