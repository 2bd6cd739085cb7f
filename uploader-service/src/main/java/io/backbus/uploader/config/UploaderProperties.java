package io.backbus.uploader.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the uploader, under {@code backbus.uploader}. Invalid values fail the start with a message naming
 * the property.
 *
 * @param bucket        bucket the artifacts and manifests go to (default {@code backbus-backups})
 * @param createBucket  create the bucket at start if it does not exist (default true)
 * @param partSize      multipart upload part size, at least 5 MiB (S3's minimum), default 16 MiB; one part is
 *                      buffered per running upload, so this bounds memory. Raised automatically for artifacts that
 *                      would otherwise need more than 10,000 parts.
 * @param pullAttempts  attempts to open the artifact location when it answers 5xx or cannot be reached (default 3)
 * @param pullBackoff   pause before the second attempt, doubled for each further one (default 1s)
 * @param pullTimeout   connect timeout, and how long to wait for the response headers (default 30s)
 * @param masterKeyFile key-encryption key file (default {@code ./data/keys/master-key.json})
 * @param keysetFile    encrypted data keyset file (default {@code ./data/keys/keyset.json})
 * @param fileRoots     directories {@code file://} locations may point into; empty (default) allows any path the
 *                      process can read
 */
@ConfigurationProperties("backbus.uploader")
public record UploaderProperties(String bucket, Boolean createBucket, DataSize partSize, Integer pullAttempts,
        Duration pullBackoff, Duration pullTimeout, Path masterKeyFile, Path keysetFile, List<Path> fileRoots) {

    /** S3's smallest allowed part (all but the last). */
    public static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);
    /** S3's largest allowed part, capped to what one Java array can buffer. */
    public static final DataSize MAX_PART_SIZE = DataSize.ofBytes(Integer.MAX_VALUE - 8);

    public UploaderProperties {
        bucket = bucket == null || bucket.isBlank() ? "backbus-backups" : bucket;
        createBucket = createBucket == null || createBucket;
        partSize = partSize == null ? DataSize.ofMegabytes(16) : partSize;
        pullAttempts = pullAttempts == null ? 3 : pullAttempts;
        pullBackoff = pullBackoff == null ? Duration.ofSeconds(1) : pullBackoff;
        pullTimeout = pullTimeout == null ? Duration.ofSeconds(30) : pullTimeout;
        masterKeyFile = masterKeyFile == null ? Path.of("data", "keys", "master-key.json") : masterKeyFile;
        keysetFile = keysetFile == null ? Path.of("data", "keys", "keyset.json") : keysetFile;
        fileRoots = fileRoots == null ? List.of() : List.copyOf(fileRoots);
        if (partSize.compareTo(MIN_PART_SIZE) < 0 || partSize.compareTo(MAX_PART_SIZE) > 0) {
            throw new IllegalArgumentException("backbus.uploader.part-size must be between 5MB and 2GB, was "
                    + partSize);
        }
        if (pullAttempts < 1) {
            throw new IllegalArgumentException("backbus.uploader.pull-attempts must be at least 1, was "
                    + pullAttempts);
        }
        if (pullBackoff.isNegative()) {
            throw new IllegalArgumentException("backbus.uploader.pull-backoff must not be negative, was "
                    + pullBackoff);
        }
        if (pullTimeout.isNegative() || pullTimeout.isZero()) {
            throw new IllegalArgumentException("backbus.uploader.pull-timeout must be positive, was " + pullTimeout);
        }
        if (bucket.length() < 3 || bucket.length() > 63 || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            throw new IllegalArgumentException("backbus.uploader.bucket is not a valid S3 bucket name: " + bucket);
        }
    }
}
