package io.backbus.streams;

import java.util.Arrays;

/**
 * Keeps the first bytes that pass (e.g. an archive's header, read once the dump is staged), on either side of a
 * pipeline. Memory is the limit, whatever the stream's size.
 */
public final class Head extends ObservingFilter {

    private final byte[] head;
    private int length;

    private Head(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative but is " + limit);
        }
        this.head = new byte[limit];
    }

    /** Keeps the first {@code limit} bytes. */
    public static Head first(int limit) {
        return new Head(limit);
    }

    @Override
    void passed(byte[] b, int off, int len) {
        int keep = Math.min(len, head.length - length);
        if (keep > 0) {
            System.arraycopy(b, off, head, length, keep);
            length += keep;
        }
    }

    /** A copy of the bytes kept: the first {@code limit}, or all if the stream was shorter. */
    public byte[] bytes() {
        return Arrays.copyOf(head, length);
    }

    /** How many bytes are kept. */
    public int length() {
        return length;
    }
}
