package io.backbus.uploader.config;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Server-side encryption S3 adds on top of the uploader's own (client-side, Tink) encryption, under
 * {@code backbus.uploader.s3}: with {@code sse: aws:kms} every PutObject and CreateMultipartUpload of the uploader
 * (artifacts and manifests) asks S3 to encrypt at rest with KMS, for buckets whose policy demands it.
 *
 * @param sse           {@code none} (default) or {@code aws:kms}; {@code AES256} (SSE-S3) too
 * @param sseKmsKeyId   the KMS key (id, ARN or alias) for {@code aws:kms}; unset: the bucket's default / AWS-managed key
 */
@ConfigurationProperties("backbus.uploader.s3")
public record ServerSideEncryptionProperties(String sse, String sseKmsKeyId) {

    public ServerSideEncryptionProperties {
        sse = sse == null || sse.isBlank() ? "none" : sse.strip();
        sseKmsKeyId = sseKmsKeyId == null || sseKmsKeyId.isBlank() ? null : sseKmsKeyId.strip();
        String lower = sse.toLowerCase(Locale.ROOT);
        if (lower.equals("none")) {
            sse = "none";
        } else if (lower.equals("aws:kms")) {
            sse = "aws:kms";
        } else if (lower.equals("aes256")) {
            sse = "AES256";
        } else {
            throw new IllegalArgumentException("backbus.uploader.s3.sse must be none, aws:kms or AES256, was '" + sse
                    + "'");
        }
        if (sseKmsKeyId != null && !sse.equals("aws:kms")) {
            throw new IllegalArgumentException("backbus.uploader.s3.sse-kms-key-id is set but backbus.uploader.s3.sse "
                    + "is " + sse + ", not aws:kms");
        }
    }

    public boolean enabled() {
        return !sse.equals("none");
    }
}
