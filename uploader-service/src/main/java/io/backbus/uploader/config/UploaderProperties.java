package io.backbus.uploader.config;

import java.net.URI;
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
 * @param partSize      multipart upload part size, at least 5 MiB (S3's minimum), default 8 MiB. Raised
 *                      automatically for artifacts that would otherwise need more than 10,000 parts.
 * @param uploadParallelism parts uploaded at the same time (default 4); with the one being filled, a running upload
 *                      holds at most {@code (uploadParallelism + 1) × partSize} bytes of buffers
 * @param partAttempts  attempts of each UploadPart, PutObject and CompleteMultipartUpload on retryable errors
 *                      (5xx, throttling, no answer); default 4
 * @param partBackoff   pause before the second attempt, doubled for each further one (default 500ms)
 * @param partBackoffMax longest pause between attempts (default 8s)
 * @param pullAttempts  attempts to open the artifact location when it answers 5xx or cannot be reached (default 3)
 * @param pullBackoff   pause before the second attempt, doubled for each further one (default 1s)
 * @param pullTimeout   connect timeout, and how long to wait for the response headers (default 30s)
 * @param pullIdleTimeout how long the artifact body may send no byte before the pull fails as stalled (default 60s)
 * @param progressInterval how often BackupProgress is published while uploading (default 1s)
 * @param masterKeyFile key-encryption key file (default {@code ./data/keys/master-key.json})
 * @param keysetFile    encrypted data keyset file (default {@code ./data/keys/keyset.json})
 * @param fileRoots     directories {@code file://} locations may point into (agent and uploader sharing a volume);
 *                      empty (default) refuses every {@code file://} location
 * @param streaming     upload an artifact while the agent still dumps it when an ArtifactStreaming hint arrives
 *                      (default true); false ignores the hints and every artifact is pulled once ArtifactReady
 *                      says it is staged
 * @param streamingWait how long an ArtifactReady waits for the live streamed upload of its run to finish (default
 *                      10m); a dead one is taken over once its claim's lease runs out ({@link ClaimProperties})
 * @param allowedSources http(s) base URLs artifact locations must lie below (the agents' public URLs); empty
 *                      (default) allows any http(s) location, with a warning at start
 */
@ConfigurationProperties("backbus.uploader")
public record UploaderProperties(String bucket, Boolean createBucket, DataSize partSize, Integer uploadParallelism,
        Integer partAttempts, Duration partBackoff, Duration partBackoffMax, Integer pullAttempts,
        Duration pullBackoff, Duration pullTimeout, Duration pullIdleTimeout, Duration progressInterval,
        Path masterKeyFile, Path keysetFile, List<Path> fileRoots, Boolean streaming, Duration streamingWait,
        List<URI> allowedSources) {

    /** S3's smallest allowed part (all but the last). */
    public static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);
    /** S3's largest allowed part, capped to what one Java array can buffer. */
    public static final DataSize MAX_PART_SIZE = DataSize.ofBytes(Integer.MAX_VALUE - 8);

    public UploaderProperties {
        bucket = bucket == null || bucket.isBlank() ? "backbus-backups" : bucket;
        createBucket = createBucket == null || createBucket;
        partSize = partSize == null ? DataSize.ofMegabytes(8) : partSize;
        uploadParallelism = uploadParallelism == null ? 4 : uploadParallelism;
        partAttempts = partAttempts == null ? 4 : partAttempts;
        partBackoff = partBackoff == null ? Duration.ofMillis(500) : partBackoff;
        partBackoffMax = partBackoffMax == null ? Duration.ofSeconds(8) : partBackoffMax;
        pullAttempts = pullAttempts == null ? 3 : pullAttempts;
        pullBackoff = pullBackoff == null ? Duration.ofSeconds(1) : pullBackoff;
        pullTimeout = pullTimeout == null ? Duration.ofSeconds(30) : pullTimeout;
        pullIdleTimeout = pullIdleTimeout == null ? Duration.ofSeconds(60) : pullIdleTimeout;
        progressInterval = progressInterval == null ? Duration.ofSeconds(1) : progressInterval;
        masterKeyFile = masterKeyFile == null ? Path.of("data", "keys", "master-key.json") : masterKeyFile;
        keysetFile = keysetFile == null ? Path.of("data", "keys", "keyset.json") : keysetFile;
        fileRoots = fileRoots == null ? List.of() : List.copyOf(fileRoots);
        allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
        streaming = streaming == null || streaming;
        streamingWait = streamingWait == null ? Duration.ofMinutes(10) : streamingWait;
        if (partSize.compareTo(MIN_PART_SIZE) < 0 || partSize.compareTo(MAX_PART_SIZE) > 0) {
            throw new IllegalArgumentException("backbus.uploader.part-size must be between 5MB and 2GB, was "
                    + partSize);
        }
        if (uploadParallelism < 1 || uploadParallelism > 64) {
            throw new IllegalArgumentException("backbus.uploader.upload-parallelism must be between 1 and 64, was "
                    + uploadParallelism);
        }
        if (partAttempts < 1) {
            throw new IllegalArgumentException("backbus.uploader.part-attempts must be at least 1, was "
                    + partAttempts);
        }
        if (partBackoff.isNegative() || partBackoffMax.compareTo(partBackoff) < 0) {
            throw new IllegalArgumentException("backbus.uploader.part-backoff must not be negative nor above "
                    + "backbus.uploader.part-backoff-max, was " + partBackoff + " / " + partBackoffMax);
        }
        requirePositive(pullIdleTimeout, "pull-idle-timeout");
        requirePositive(progressInterval, "progress-interval");
        if (pullAttempts < 1) {
            throw new IllegalArgumentException("backbus.uploader.pull-attempts must be at least 1, was "
                    + pullAttempts);
        }
        if (pullBackoff.isNegative()) {
            throw new IllegalArgumentException("backbus.uploader.pull-backoff must not be negative, was "
                    + pullBackoff);
        }
        requirePositive(pullTimeout, "pull-timeout");
        requirePositive(streamingWait, "streaming-wait");
        if (bucket.length() < 3 || bucket.length() > 63 || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            throw new IllegalArgumentException("backbus.uploader.bucket is not a valid S3 bucket name: " + bucket);
        }
    }

    /** Bytes of part buffers one running upload may hold at most. */
    public long uploadMemoryBound() {
        return (uploadParallelism + 1L) * partSize.toBytes();
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("backbus.uploader." + name + " must be positive, was " + d);
        }
    }
}
