package io.backbus.uploader.domain;

import java.io.OutputStream;

/**
 * One object being written: {@link #close()} completes it (failing with an
 * {@link io.backbus.repository.ObjectStoreException} cause when the store does), {@link #abort()} abandons it so
 * nothing of it stays behind.
 */
public abstract class ArtifactUpload extends OutputStream {

    /** Abandons the object; does nothing once it is completed or already aborted. */
    public abstract void abort();
}
