package io.backbus.agent.postgres;

import io.backbus.agent.domain.DumpCompression;
import io.backbus.agent.domain.DumpObserver;
import io.backbus.streams.ByteCount;
import io.backbus.streams.Head;
import io.backbus.streams.OutputPipeline;
import io.backbus.streams.PipelineOutputStream;
import io.backbus.streams.Sha256Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
     * Copies {@code in} through the compressor into the staging file, digesting and counting what reaches the file
     * and telling {@code observer} of both sides. The staging file is closed (and synced) before this returns or
     * throws.
     *
     * @throws io.backbus.streams.EndpointFailedException (sink) when writing, syncing or closing the staging file
     *                                                    fails
     * @throws IOException when reading {@code in} or opening the file fails
     */
    static StagedCopy from(InputStream in, Opener opener, DumpCompression compression, DumpObserver observer)
            throws IOException {
        ByteCount read = ByteCount.notifying(observer::read);
        Head head = Head.first(HEADER_BYTES);
        Sha256Digest staged = new Sha256Digest();
        ByteCount stagedSize = ByteCount.notifying(observer::staged);
        OutputStream file = opener.open();
        PipelineOutputStream out;
        try {
            out = OutputPipeline.of(read, head, compression.filter(), staged, stagedSize).into(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        // closing finishes the zstd frame and syncs the file; a failure there is a staging failure
        try (out) {
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
        }
        return new StagedCopy(staged.hex(), stagedSize.bytes(), read.bytes(), head.bytes(), head.length());
    }
}
