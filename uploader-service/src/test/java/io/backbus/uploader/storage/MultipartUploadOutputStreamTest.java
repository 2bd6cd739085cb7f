package io.backbus.uploader.storage;

import io.backbus.repository.ObjectStoreException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The writer's memory bound, part order, retries and failure handling, against an in-memory S3. */
class MultipartUploadOutputStreamTest {

    private static final int PART = 1000;
    private static final S3Retry FAST_RETRY = new S3Retry(4, Duration.ofMillis(1), Duration.ofMillis(4));

    @Test
    void neverHoldsMoreThanParallelismPlusOneBuffersAndBlocksWhileAllSlotsAreBusy() throws Exception {
        FakeS3 s3 = new FakeS3();
        s3.gate = new CountDownLatch(1); // every UploadPart waits until the test opens the gate
        AtomicLong uploaded = new AtomicLong();
        var out = new MultipartUploadOutputStream(s3, "b", "k", PART, null, 3, FAST_RETRY, uploaded::addAndGet);
        byte[] content = bytes(20 * PART + 123);
        AtomicLong accepted = new AtomicLong();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int off = 0; off < content.length; off += 100) {
                    int n = Math.min(100, content.length - off);
                    out.write(content, off, n);
                    accepted.addAndGet(n);
                }
                out.close();
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        });
        writer.start();

        // three parts are at S3, a fourth is full and waits for a slot: the writer is stuck in write()
        await().atMost(Duration.ofSeconds(10)).until(() -> s3.inFlight.get() == 3
                && writer.getState() == Thread.State.WAITING && accepted.get() >= 4 * PART - 100);
        assertThat(accepted.get()).isLessThanOrEqualTo(4 * PART);
        assertThat(out.buffersAllocated()).isEqualTo(4);

        s3.gate.countDown();
        writer.join(10_000);

        assertThat(writerFailure.get()).isNull();
        assertThat(out.completed()).isTrue();
        assertThat(out.buffersAllocated()).as("buffers are reused, never more than parallelism + 1").isEqualTo(4);
        assertThat(s3.maxInFlight.get()).isEqualTo(3);
        assertThat(out.maxPartsInFlight()).isEqualTo(3);
        assertThat(s3.completedWith).extracting(p -> p.partNumber()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 21).boxed().toList());
        assertThat(s3.completedWith).allSatisfy(p -> assertThat(p.eTag()).isEqualTo("etag-" + p.partNumber()));
        assertThat(reassembled(s3)).isEqualTo(content);
        assertThat(uploaded.get()).isEqualTo(content.length);
        assertThat(s3.aborts.get()).isZero();
    }

    @Test
    void retryableFailuresOfAPartAreRetriedWithBackoff() throws IOException {
        FakeS3 s3 = new FakeS3();
        s3.failPart(2, 503, 500);
        var out = new MultipartUploadOutputStream(s3, "b", "k", PART, null, 2, FAST_RETRY, null);
        byte[] content = bytes(5 * PART);

        out.write(content);
        out.close();

        assertThat(s3.attempts.get(2).get()).isEqualTo(3);
        assertThat(reassembled(s3)).isEqualTo(content);
        assertThat(s3.aborts.get()).isZero();
    }

    @Test
    void partThatKeepsFailingGivesUpAfterTheConfiguredAttemptsAndAborts() {
        FakeS3 s3 = new FakeS3();
        s3.failPart(3, 500, 500, 500, 500, 500);
        var out = new MultipartUploadOutputStream(s3, "b", "k", PART, null, 2, FAST_RETRY, null);

        assertThatThrownBy(() -> {
            out.write(bytes(6 * PART));
            out.close();
        }).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).startsWith("UploadPart 3 of k failed: InternalError").contains("4 attempts");
        });
        assertThat(s3.attempts.get(3).get()).isEqualTo(4);
        assertThat(s3.aborts.get()).isEqualTo(1);
        assertThat(s3.completedWith).isEmpty();
    }

    @Test
    void accessDeniedIsNotRetriedAndAbortsTheUpload() {
        FakeS3 s3 = new FakeS3();
        s3.failPart(1, 403);
        var out = new MultipartUploadOutputStream(s3, "b", "k", PART, null, 2, FAST_RETRY, null);

        assertThatThrownBy(() -> {
            out.write(bytes(4 * PART));
            out.close();
        }).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.errorCode()).isEqualTo("AccessDenied");
        });
        assertThat(s3.attempts.get(1).get()).isEqualTo(1);
        assertThat(s3.aborts.get()).isEqualTo(1);
        assertThat(s3.completedWith).isEmpty();
        assertThatThrownBy(out::close).hasMessageContaining("aborted");
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        S3Retry retry = new S3Retry(8, Duration.ofMillis(500), Duration.ofSeconds(8));

        assertThat(IntStream.rangeClosed(2, 8).mapToObj(a -> retry.pauseBefore(a).toMillis()).toList())
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 8000L, 8000L);
    }

    private static byte[] reassembled(FakeS3 s3) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        s3.parts.keySet().stream().sorted().forEach(n -> all.writeBytes(s3.parts.get(n)));
        return all.toByteArray();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
