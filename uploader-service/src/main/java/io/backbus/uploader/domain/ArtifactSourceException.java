package io.backbus.uploader.domain;

/**
 * The staged artifact could not be opened. The message is fit for an operator and never contains the location's
 * query string (it carries the agent's URL signature).
 */
public class ArtifactSourceException extends Exception {

    private final boolean retryable;

    public ArtifactSourceException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** True when the agent answered 5xx or could not be reached: a later attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
