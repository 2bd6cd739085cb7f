package io.backbus.uploader.config;

import io.backbus.uploader.domain.ColdTierThaws;
import io.backbus.uploader.domain.RestoreArtifactStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ColdTierThaws#pollDue} every {@code backbus.uploader.restore.thaw-poll-interval} on a thread of its
 * own (a check pass after a thaw may take long; it must hold up neither a consumer nor the outbox relay), and
 * forgets restore artifacts whose URLs expired a day ago.
 */
@Component
class ThawPollingSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ThawPollingSchedule.class);
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);

    private final ColdTierThaws thaws;
    private final RestoreArtifactStore artifacts;
    private final Clock clock;
    private final Duration interval;
    private volatile ScheduledExecutorService executor;
    private volatile boolean running;

    ThawPollingSchedule(ColdTierThaws thaws, RestoreArtifactStore artifacts, Clock clock, RestoreProperties restore) {
        this.thaws = thaws;
        this.artifacts = artifacts;
        this.clock = clock;
        this.interval = restore.thawPollInterval();
    }

    @Override
    public void start() {
        running = true;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "restore-thaw-poller");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            int checked = thaws.pollDue(() -> running);
            if (checked > 0) {
                log.debug("Checked {} pending thaw(s)", checked);
            }
            int forgotten = artifacts.deleteExpiredBefore(clock.instant().minus(KEEP_EXPIRED));
            if (forgotten > 0) {
                log.info("Forgot {} restore artifact(s) whose URLs expired", forgotten);
            }
        } catch (RuntimeException e) {
            // the database or S3 may be back at the next round; never let the schedule die
            log.warn("Checking pending thaws failed, trying again in {}: {}", interval, e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
