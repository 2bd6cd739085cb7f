package io.backbus.retention.rebuild;

import io.backbus.repository.ObjectStoreException;

/**
 * A rebuild stopped because the object store failed. What was added before stays (a rebuild is idempotent: run
 * it again once the store is back).
 */
public class RebuildFailedException extends RuntimeException {

    private final String location;
    private final RebuildResult partial;

    RebuildFailedException(String location, RebuildResult partial, ObjectStoreException cause) {
        super(cause.getMessage(), cause);
        this.location = location;
        this.partial = partial;
    }

    public boolean unreachable() {
        return ((ObjectStoreException) getCause()).unreachable();
    }

    public String location() {
        return location;
    }

    /** Counts up to the failure. */
    public RebuildResult partial() {
        return partial;
    }
}
