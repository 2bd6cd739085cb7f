package io.backbus.uploader.storage;

import io.backbus.repository.ObjectStoreException;
import io.backbus.uploader.config.UploaderProperties;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retries one S3 request with exponential backoff while the failure is retryable (5xx, throttling, no answer);
 * a 4xx such as NoSuchBucket or AccessDenied fails at once. This sits on top of the SDK's own retries, which the
 * client is configured to keep to {@link #SDK_ATTEMPTS} attempts, so one request costs at most
 * {@code attempts × SDK_ATTEMPTS} HTTP calls.
 */
public final class S3Retry {

    private static final Logger log = LoggerFactory.getLogger(S3Retry.class);

    /** Attempts the SDK makes inside each of ours (its standard strategy, with its own short backoff). */
    public static final int SDK_ATTEMPTS = 2;

    private final int attempts;
    private final Duration backoff;
    private final Duration maxBackoff;

    public S3Retry(int attempts, Duration backoff, Duration maxBackoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
    }

    /** The retries of every bucket request: {@code backbus.uploader.part-attempts} and its backoff. */
    public static S3Retry of(UploaderProperties properties) {
        return new S3Retry(properties.partAttempts(), properties.partBackoff(), properties.partBackoffMax());
    }

    /** One attempt, no retry. */
    public static S3Retry once() {
        return new S3Retry(1, Duration.ZERO, Duration.ZERO);
    }

    public int attempts() {
        return attempts;
    }

    /** Pause before attempt {@code attempt} (2, 3, ...): backoff, doubled each time, capped. */
    Duration pauseBefore(int attempt) {
        Duration pause = backoff.multipliedBy(1L << Math.min(attempt - 2, 30));
        return pause.compareTo(maxBackoff) > 0 || pause.isNegative() ? maxBackoff : pause;
    }

    /**
     * Runs {@code request} until it succeeds, fails with a non-retryable error or runs out of attempts.
     *
     * @param action what the request does, for messages ({@code UploadPart 3 of targets/...})
     */
    public <T> T call(String action, Supplier<T> request) throws ObjectStoreException {
        for (int attempt = 1; ; attempt++) {
            ObjectStoreException failure;
            try {
                return request.get();
            } catch (SdkException e) {
                failure = ObjectStoreException.of(action, e);
            }
            if (!failure.retryable() || attempt >= attempts || Thread.currentThread().isInterrupted()) {
                throw attempt == 1 ? failure : new ObjectStoreException(failure.getMessage() + " (after " + attempt
                        + " attempts)", failure.errorCode(), failure.retryable(), failure.unreachable(),
                        failure.getCause());
            }
            Duration pause = pauseBefore(attempt + 1);
            log.warn("{} (attempt {} of {}), trying again in {} ms", failure.getMessage(), attempt, attempts,
                    pause.toMillis());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ObjectStoreException(action + " interrupted", null, true, failure);
            }
        }
    }
}
