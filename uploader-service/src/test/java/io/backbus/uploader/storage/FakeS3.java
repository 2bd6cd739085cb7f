package io.backbus.uploader.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An in-memory multipart endpoint for unit tests: records parts, how many uploads ran at once, and can hold every
 * UploadPart at a gate or fail chosen parts with a status code.
 */
final class FakeS3 implements S3Client {

    final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
    final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final Map<Integer, List<Integer>> failures = new ConcurrentHashMap<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger aborts = new AtomicInteger();
    final List<CompletedPart> completedWith = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate = new CountDownLatch(0);

    /** Part {@code partNumber} answers the given statuses, one per attempt, before succeeding. */
    void failPart(int partNumber, Integer... statuses) {
        failures.put(partNumber, new ArrayList<>(List.of(statuses)));
    }

    @Override
    public CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
        return CreateMultipartUploadResponse.builder().uploadId("upload-1").build();
    }

    @Override
    public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
        int n = request.partNumber();
        attempts.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            List<Integer> failing = failures.get(n);
            if (failing != null && !failing.isEmpty()) {
                int status = failing.remove(0);
                throw S3Exception.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(status >= 500 ? "InternalError" : "AccessDenied").errorMessage("fake").build())
                        .build();
            }
            try (var in = body.contentStreamProvider().newStream()) {
                parts.put(n, in.readAllBytes());
            }
            return UploadPartResponse.builder().eTag("etag-" + n).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
        completedWith.addAll(request.multipartUpload().parts());
        return CompleteMultipartUploadResponse.builder().build();
    }

    @Override
    public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
        aborts.incrementAndGet();
        return AbortMultipartUploadResponse.builder().build();
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        return DeleteObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
