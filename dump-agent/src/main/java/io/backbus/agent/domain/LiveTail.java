package io.backbus.agent.domain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Copies a staging file to a client while the dump still writes it: what the file holds is sent, at its end the copy
 * waits (at most {@code pollMillis} at a time, woken early when the dump ends) and reads on; once the dump is
 * {@link LiveDumps.State#DONE done} it sends up to the final size and returns, if it
 * {@link LiveDumps.State#FAILED failed} it throws {@link DumpFailedException} so the caller breaks the response off.
 * Memory is bounded by one {@value #BUFFER_BYTES}-byte buffer. Only reads the file: however slow or gone the
 * client, the dump writing it is never held up.
 */
public final class LiveTail {

    public static final int BUFFER_BYTES = 64 * 1024;

    private LiveTail() {
    }

    /** The dump failed (or the agent stopped), or the file ended short: the body must not end cleanly. */
    public static final class DumpFailedException extends IOException {
        public DumpFailedException(String message) {
            super(message);
        }
    }

    /** Writing to the client failed: it went away or broke the connection. Nothing to tell it any more. */
    public static final class ClientGoneException extends IOException {
        public ClientGoneException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Copies {@code file} (opened before or while the dump writes it) to {@code out} as it grows, from its start.
     *
     * @return the bytes copied: the final size of the dump
     * @throws DumpFailedException  when the dump failed, or the complete file is shorter than stated
     * @throws ClientGoneException  when writing to {@code out} failed
     * @throws IOException          when reading the file failed
     * @throws InterruptedException when interrupted while waiting for the dump
     */
    public static long follow(FileChannel file, LiveDumps.LiveDump dump, OutputStream out, long pollMillis)
            throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        long position = 0;
        while (true) {
            LiveDumps.State state = dump.state();
            if (state == LiveDumps.State.FAILED) {
                throw new DumpFailedException("the dump of run " + dump.runId() + " failed after " + position
                        + " bytes were sent");
            }
            long limit = state == LiveDumps.State.DONE ? dump.finalSize() : Long.MAX_VALUE;
            if (position >= limit) {
                flush(out);
                return position;
            }
            int n = read(file, buffer, position, limit);
            if (n > 0) {
                write(out, buffer, n);
                position += n;
            } else if (state == LiveDumps.State.DONE) {
                throw new DumpFailedException("the staged file of run " + dump.runId() + " ended after " + position
                        + " of " + limit + " bytes");
            } else {
                // at the end of what is written so far: hand it to the client, then wait for more
                flush(out);
                dump.awaitEnd(pollMillis);
            }
        }
    }

    /**
     * Copies exactly {@code size} bytes of a complete file to {@code out}.
     *
     * @throws DumpFailedException when the file holds fewer bytes
     * @throws ClientGoneException when writing to {@code out} failed
     */
    public static long copy(FileChannel file, long size, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        long position = 0;
        while (position < size) {
            int n = read(file, buffer, position, size);
            if (n <= 0) {
                throw new DumpFailedException("the staged file ended after " + position + " of " + size + " bytes");
            }
            write(out, buffer, n);
            position += n;
        }
        flush(out);
        return position;
    }

    private static int read(FileChannel file, ByteBuffer buffer, long position, long limit) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), limit - position));
        return file.read(buffer, position);
    }

    private static void write(OutputStream out, ByteBuffer buffer, int n) throws ClientGoneException {
        try {
            out.write(buffer.array(), 0, n);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    private static void flush(OutputStream out) throws ClientGoneException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }
}
