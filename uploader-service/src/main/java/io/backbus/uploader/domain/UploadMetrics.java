package io.backbus.uploader.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The uploader's meters: {@code backbus.uploader.bytes.read} (artifact bytes pulled),
 * {@code backbus.uploader.bytes.uploaded} (ciphertext bytes stored, part by part) and
 * {@code backbus.uploader.upload.duration} tagged {@code outcome=stored|failed}.
 */
@Component
public class UploadMetrics {

    private final Counter bytesRead;
    private final Counter bytesUploaded;
    private final Timer stored;
    private final Timer failed;

    public UploadMetrics(MeterRegistry registry) {
        bytesRead = Counter.builder("backbus.uploader.bytes.read").baseUnit("bytes")
                .description("artifact (plaintext) bytes pulled from agents").register(registry);
        bytesUploaded = Counter.builder("backbus.uploader.bytes.uploaded").baseUnit("bytes")
                .description("ciphertext bytes stored in the object store").register(registry);
        stored = duration(registry, "stored");
        failed = duration(registry, "failed");
    }

    private static Timer duration(MeterRegistry registry, String outcome) {
        return Timer.builder("backbus.uploader.upload.duration").tag("outcome", outcome)
                .description("time to transfer, verify and describe one artifact").register(registry);
    }

    public void read(long bytes) {
        bytesRead.increment(bytes);
    }

    public void uploaded(long bytes) {
        bytesUploaded.increment(bytes);
    }

    void stored(Duration took) {
        stored.record(took);
    }

    void failed(Duration took) {
        failed.record(took);
    }
}
