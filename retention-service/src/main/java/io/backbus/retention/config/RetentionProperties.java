package io.backbus.retention.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the retention service, under {@code backbus.retention}.
 *
 * @param listLimit the most catalog entries one listing returns
 * @param bucket    the bucket the uploader stores artifacts and manifests in; a catalog rebuild reads its
 *                  manifests (default {@code backbus-backups})
 */
@Validated
@ConfigurationProperties("backbus.retention")
public record RetentionProperties(@Min(1) @Max(10_000) Integer listLimit, String bucket) {

    public RetentionProperties {
        listLimit = listLimit == null ? 500 : listLimit;
        bucket = bucket == null || bucket.isBlank() ? "backbus-backups" : bucket;
        if (bucket.length() < 3 || bucket.length() > 63 || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            throw new IllegalArgumentException("backbus.retention.bucket is not a valid S3 bucket name: " + bucket);
        }
    }
}
