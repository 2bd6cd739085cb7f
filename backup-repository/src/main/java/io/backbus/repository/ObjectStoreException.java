package io.backbus.repository;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The object store refused or failed a request: the one failure type of every bucket read and write. Checked, and an
 * {@link IOException}, because a failing upload surfaces through the output streams that feed it.
 * {@link #getMessage()} is fit for an operator: the action, the S3 error code and S3's message (never credentials).
 */
public class ObjectStoreException extends IOException {

    private final String errorCode;
    private final boolean retryable;
    private final boolean unreachable;

    /**
     * @param errorCode   the S3 error code, or null when S3 did not answer
     * @param retryable   worth another attempt (5xx, throttling, no answer)
     * @param unreachable no answer came at all (connection refused, timeout, no credentials)
     */
    public ObjectStoreException(String message, String errorCode, boolean retryable, boolean unreachable,
            Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.retryable = retryable;
        this.unreachable = unreachable;
    }

    /** A failure the store answered (or one of this side), not one of reaching it. */
    public ObjectStoreException(String message, String errorCode, boolean retryable, Throwable cause) {
        this(message, errorCode, retryable, false, cause);
    }

    /** Describes an SDK failure of {@code action} (e.g. {@code UploadPart 3 of targets/...}). */
    public static ObjectStoreException of(String action, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String message = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage();
            code = code == null ? "HTTP " + s3.statusCode() : code;
            return new ObjectStoreException(action + " failed: " + code + (message == null ? "" : ": " + message),
                    code, s3.statusCode() >= 500 || s3.statusCode() == 429, e);
        }
        // no answer at all (connection refused, timeout): worth retrying
        return new ObjectStoreException(action + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                null, true, e instanceof SdkClientException, e);
    }

    /** The S3 error code ({@code NoSuchBucket}, {@code SlowDown}...), or null when S3 did not answer. */
    public String errorCode() {
        return errorCode;
    }

    /** True for 5xx, throttling and connection failures. */
    public boolean retryable() {
        return retryable;
    }

    /** True when no answer came (connection refused, timeout, no credentials); false when the store said no. */
    public boolean unreachable() {
        return unreachable;
    }
}
