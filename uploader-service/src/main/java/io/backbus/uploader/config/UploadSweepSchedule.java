package io.backbus.uploader.config;

import io.backbus.uploader.domain.AbandonedUploads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs {@link AbandonedUploads#sweep} every {@code backbus.uploader.claims.sweep-interval} on a thread of its own. */
@Component
class UploadSweepSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UploadSweepSchedule.class);

    private final AbandonedUploads abandoned;
    private final Duration interval;
    private volatile ScheduledExecutorService executor;

    UploadSweepSchedule(AbandonedUploads abandoned, ClaimProperties claims) {
        this.abandoned = abandoned;
        this.interval = claims.sweepInterval();
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "abandoned-upload-sweep");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            int aborted = abandoned.sweep();
            if (aborted > 0) {
                log.info("Aborted {} abandoned multipart upload(s)", aborted);
            }
        } catch (Exception e) {
            // S3 or the database may be back at the next round; never let the schedule die
            log.warn("Sweeping abandoned multipart uploads failed, trying again in {}: {}", interval, e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        executor = null;
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
