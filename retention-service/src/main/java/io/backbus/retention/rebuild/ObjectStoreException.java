package io.backbus.retention.rebuild;

/** The object store could not be listed or read: unreachable, or it answered with an error. */
public class ObjectStoreException extends RuntimeException {

    private final boolean unreachable;

    /**
     * @param unreachable true if no answer came (connection refused, timeout, no credentials); false if the store
     *                    answered with an error (no such bucket, access denied)
     */
    public ObjectStoreException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    public boolean unreachable() {
        return unreachable;
    }
}
