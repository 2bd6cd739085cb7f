package io.backbus.uploader.storage;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Asks S3 for server-side encryption on every object the uploader writes: sets
 * {@code x-amz-server-side-encryption} (and {@code x-amz-server-side-encryption-aws-kms-key-id}) on each PutObject
 * and CreateMultipartUpload (the parts of a multipart upload inherit it). One interceptor on the client rather than a
 * setting threaded through every write, so no write can forget it.
 */
public final class ServerSideEncryptionRequests implements ExecutionInterceptor {

    private final String algorithm;
    private final String kmsKeyId;

    /**
     * @param algorithm {@code aws:kms} or {@code AES256}
     * @param kmsKeyId  KMS key for {@code aws:kms}, or null for the bucket's default
     */
    public ServerSideEncryptionRequests(String algorithm, String kmsKeyId) {
        this.algorithm = algorithm;
        this.kmsKeyId = kmsKeyId;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof PutObjectRequest put) {
            return put.toBuilder().serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId).build();
        }
        if (request instanceof CreateMultipartUploadRequest create) {
            return create.toBuilder().serverSideEncryption(algorithm).ssekmsKeyId(kmsKeyId).build();
        }
        return request;
    }

    @Override
    public String toString() {
        return "ServerSideEncryptionRequests[" + algorithm + (kmsKeyId == null ? "" : ", key " + kmsKeyId) + "]";
    }
}
