package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live tail against real files written while it reads them. */
class LiveTailTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final LiveDumps live = new LiveDumps(Clock.systemUTC(), Duration.ofMinutes(5));
    private final Random random = new Random(42);

    @Test
    void followsAGrowingFileThroughItsRenameAndEndsAtTheFinalSize() throws Exception {
        Path partial = dir.resolve("run.dump.zst.partial");
        byte[] first = bytes(200_000);
        byte[] second = bytes(70_000);
        byte[] third = bytes(5);
        try (FileChannel writer = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), partial);
            Recording out = new Recording();
            CompletableFuture<Long> following;
            try (FileChannel reader = FileChannel.open(partial, StandardOpenOption.READ)) {
                following = follow(reader, dump, out);
                write(writer, first);
                await().atMost(WAIT).until(() -> out.size() == first.length);
                assertThat(following).as("waits for more while the dump runs").isNotDone();

                write(writer, second);
                await().atMost(WAIT).until(() -> out.size() == first.length + second.length);
                Files.move(partial, dir.resolve("run.dump.zst"));
                write(writer, third);
                writer.force(true);
                dump.done(first.length + second.length + third.length);

                assertThat(following.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .isEqualTo(first.length + second.length + third.length);
            }
            assertThat(out.toByteArray()).isEqualTo(concat(first, second, third));
            assertThat(out.largestWrite.get()).as("bounded by one buffer").isLessThanOrEqualTo(LiveTail.BUFFER_BYTES);
        }
    }

    @Test
    void sendsOnlyUpToTheFinalSizeEvenIfTheFileHoldsMore() throws Exception {
        Path file = Files.write(dir.resolve("f"), bytes(1000));
        LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), file);
        dump.done(600);
        Recording out = new Recording();

        try (FileChannel reader = FileChannel.open(file)) {
            assertThat(LiveTail.follow(reader, dump, out, 20)).isEqualTo(600);
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOf(Files.readAllBytes(file), 600));
    }

    @Test
    void breaksOffWhenTheDumpFailsAfterSendingWhatWasWritten() throws Exception {
        Path partial = dir.resolve("run.partial");
        byte[] written = bytes(100_000);
        try (FileChannel writer = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileChannel reader = FileChannel.open(partial)) {
            LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), partial);
            Recording out = new Recording();
            CompletableFuture<Long> following = follow(reader, dump, out);
            write(writer, written);
            await().atMost(WAIT).until(() -> out.size() == written.length);

            // as PgDump does on failure: the file is deleted, then the dump is reported failed
            Files.delete(partial);
            dump.failed();

            assertThatThrownBy(() -> following.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(LiveTail.DumpFailedException.class)
                    .hasMessage("the dump of run " + dump.runId() + " failed after 100000 bytes were sent");
        }
    }

    @Test
    void breaksOffWhenTheAgentStops() throws Exception {
        Path partial = Files.createFile(dir.resolve("run.partial"));
        try (FileChannel reader = FileChannel.open(partial)) {
            LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), partial);
            CompletableFuture<Long> following = follow(reader, dump, new Recording());

            live.close();

            assertThatThrownBy(() -> following.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                    .isInstanceOf(LiveTail.DumpFailedException.class);
        }
    }

    @Test
    void aCompleteFileShorterThanItsFinalSizeIsNotACleanEnd() throws Exception {
        Path file = Files.write(dir.resolve("f"), bytes(10));
        LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), file);
        dump.done(11);

        try (FileChannel reader = FileChannel.open(file)) {
            assertThatThrownBy(() -> LiveTail.follow(reader, dump, new Recording(), 20))
                    .isInstanceOf(LiveTail.DumpFailedException.class).hasMessageEndingWith("ended after 10 of 11 bytes");
        }
    }

    @Test
    void aClientThatGoesAwayEndsTheCopyAndNeverTheWriter() throws Exception {
        Path partial = dir.resolve("run.partial");
        try (FileChannel writer = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileChannel reader = FileChannel.open(partial)) {
            LiveDumps.LiveDump dump = live.start(UUID.randomUUID(), partial);
            OutputStream gone = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("Broken pipe");
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    throw new IOException("Broken pipe");
                }
            };
            CompletableFuture<Long> following = follow(reader, dump, gone);
            write(writer, bytes(1000));

            assertThatThrownBy(() -> following.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                    .isInstanceOf(LiveTail.ClientGoneException.class).hasMessage("Broken pipe");
            write(writer, bytes(1000));
            assertThat(Files.size(partial)).isEqualTo(2000);
            assertThat(dump.state()).isEqualTo(LiveDumps.State.RUNNING);
        }
    }

    @Test
    void copiesACompleteFileToItsSizeAndRefusesAShortOne() throws Exception {
        byte[] content = bytes(150_000);
        Path file = Files.write(dir.resolve("f"), content);
        Recording out = new Recording();

        try (FileChannel reader = FileChannel.open(file)) {
            assertThat(LiveTail.copy(reader, content.length, out)).isEqualTo(content.length);
            assertThatThrownBy(() -> LiveTail.copy(reader, content.length + 1, new Recording()))
                    .isInstanceOf(LiveTail.DumpFailedException.class)
                    .hasMessage("the staged file ended after 150000 of 150001 bytes");
        }
        assertThat(out.toByteArray()).isEqualTo(content);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static CompletableFuture<Long> follow(FileChannel reader, LiveDumps.LiveDump dump, OutputStream out) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(LiveTail.follow(reader, dump, out, 20));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, "live-tail-test");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void write(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    /** Collects what is written (thread-safe) and the largest single write. */
    private static final class Recording extends ByteArrayOutputStream {
        final AtomicInteger largestWrite = new AtomicInteger();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            largestWrite.accumulateAndGet(len, Math::max);
            super.write(b, off, len);
        }
    }
}
