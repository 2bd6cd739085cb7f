package io.backbus.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Test data and reference computations for the filter tests. */
final class TestBytes {

    private TestBytes() {
    }

    /** Compressible pseudo-random bytes: random words from a small alphabet. */
    static byte[] text(int n) {
        Random random = new Random(n);
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(6));
        }
        return bytes;
    }

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Writes in odd-sized chunks (and one single byte) so that filters see split and unaligned writes. */
    static void writeInChunks(OutputStream out, byte[] bytes) throws IOException {
        int off = 0;
        if (bytes.length > 0) {
            out.write(bytes[0]);
            off = 1;
        }
        while (off < bytes.length) {
            int n = Math.min(7_777, bytes.length - off);
            out.write(bytes, off, n);
            off += n;
        }
    }

    /** A source that serves {@code bytes}, then fails with {@code failure} instead of ending. */
    static InputStream failingAfter(byte[] bytes, IOException failure) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= bytes.length) {
                    throw failure;
                }
                int n = Math.min(len, bytes.length - position);
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /** A sink that accepts {@code capacity} bytes, then fails every write with {@code failure}. */
    static OutputStream failingAfter(int capacity, IOException failure) {
        return new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > capacity) {
                    throw failure;
                }
                written += len;
            }
        };
    }
}
