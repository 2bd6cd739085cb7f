package io.backbus.streams;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of the bytes that pass, as lower-case hex, on either side of a pipeline. On the output side only bytes the
 * next step accepted are hashed. The result is readable once the stream ended — the output was closed, the input
 * reached its end or was closed — and then as often as wanted.
 */
public final class Sha256Digest extends ObservingFilter {

    private final MessageDigest sha = newSha256();
    private long bytes;
    private String hex;

    @Override
    void passed(byte[] b, int off, int len) {
        sha.update(b, off, len);
        bytes += len;
    }

    /**
     * Lower-case hex SHA-256 of everything that passed.
     *
     * @throws IllegalStateException while the stream has not ended
     */
    public synchronized String hex() {
        if (!hasEnded()) {
            throw new IllegalStateException("the SHA-256 is known once the stream is closed (or read to its end)");
        }
        if (hex == null) {
            hex = HexFormat.of().formatHex(sha.digest());
        }
        return hex;
    }

    /** Bytes hashed (those {@link #hex()} covers). */
    public long bytes() {
        return bytes;
    }

    /** A SHA-256 {@link MessageDigest}, which every JRE has. */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
