package io.backbus.agent.postgres;

import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What one copy of pg_dump's stdout into the staging file produced: SHA-256 and size of the staged bytes, bytes
 * read from pg_dump, and the start of the archive (for its header).
 */
record StagedCopy(String sha256, long size, long read, byte[] head, int headLength) {

    /** Between pg_dump's stdout and the compressor. */
    static final int BUFFER_BYTES = 1024 * 1024;
    /** Kept from the start of the archive to read the server version from its header. */
    static final int HEADER_BYTES = 8 * 1024;

    /** Opens the staging file. */
    @FunctionalInterface
    interface Opener {
        OutputStream open() throws IOException;
    }

    /**
     * Copies {@code in} through the compressor into the staging file, digesting what reaches the file. The
     * staging file is closed (and synced) before this returns or throws.
     *
     * @throws StagingWriteException when writing (or syncing) the staging file fails
     * @throws IOException           when reading {@code in} or opening the file fails
     */
    static StagedCopy from(InputStream in, Opener opener, DumpCompression compression, DumpObserver observer)
            throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        byte[] head = new byte[HEADER_BYTES];
        int headLength = 0;
        long read = 0;
        DigestingSink sink;
        try (DigestingSink s = new DigestingSink(opener.open(), observer); OutputStream out = compression.wrap(s)) {
            sink = s;
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (headLength < head.length) {
                    int keep = Math.min(n, head.length - headLength);
                    System.arraycopy(buffer, 0, head, headLength, keep);
                    headLength += keep;
                }
                out.write(buffer, 0, n);
                read += n;
                observer.read(n);
            }
            // closing (below) finishes the zstd frame and syncs the file; a failure there is a staging failure
        }
        return new StagedCopy(sink.sha256(), sink.size(), read, head, headLength);
    }

    /**
     * The staging file's stream: digests and counts what is written, reports it to the observer, turns write
     * failures into {@link StagingWriteException}s and closes the file once, however often it is closed.
     */
    static final class DigestingSink extends OutputStream {
        private final OutputStream file;
        private final DumpObserver observer;
        private final MessageDigest sha;
        private long size;
        private boolean closed;

        DigestingSink(OutputStream file, DumpObserver observer) {
            this.file = file;
            this.observer = observer;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                file.write(b, off, len);
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
            sha.update(b, off, len);
            size += len;
            observer.staged(len);
        }

        @Override
        public void flush() throws IOException {
            try {
                file.flush();
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                file.close();
            } catch (IOException e) {
                throw new StagingWriteException(e);
            }
        }

        String sha256() {
            return HexFormat.of().formatHex(sha.digest());
        }

        long size() {
            return size;
        }
    }

    /** Writing the staging file failed (as opposed to reading pg_dump's output). */
    static final class StagingWriteException extends IOException {
        StagingWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
