package io.backbus.uploader.domain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sits between the object store and the decrypting stream: counts the ciphertext bytes read and remembers a failure
 * of the object store's stream. Tink reports a failing source the same way as a ciphertext that does not
 * authenticate (while it looks for the matching key it even turns it into "no matching key"), so without this a
 * dropped connection would be taken for a corrupt backup.
 */
final class CiphertextTap extends FilterInputStream {

    private long count;
    private Exception failure;

    CiphertextTap(InputStream ciphertext) {
        super(ciphertext);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped;
        try {
            skipped = in.skip(n);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        count += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        // Tink buffers what it needs to try each key itself; a mark here would make the count lie
        return false;
    }

    /** Ciphertext bytes delivered so far. */
    long count() {
        return count;
    }

    /** The object store's failure, or null when the source never failed. */
    Exception failure() {
        return failure;
    }
}
