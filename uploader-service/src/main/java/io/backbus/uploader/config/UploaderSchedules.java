package io.backbus.uploader.config;

import io.backbus.uploader.domain.AbandonedUploads;
import io.backbus.uploader.domain.ColdTierThaws;
import io.backbus.uploader.domain.RestoreArtifactStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The uploader's periodic work, each on a thread of its own ({@link PeriodicTask}). */
@Configuration(proxyBeanMethods = false)
class UploaderSchedules {

    private static final Logger log = LoggerFactory.getLogger(UploaderSchedules.class);
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);

    /**
     * Every {@code backbus.uploader.restore.thaw-poll-interval}: checks pending thaws (a check pass after a thaw may
     * take long) and forgets restore artifacts whose URLs expired a day ago.
     */
    @Bean
    PeriodicTask restoreThawPoller(ColdTierThaws thaws, RestoreArtifactStore artifacts, Clock clock,
            RestoreProperties restore) {
        return new PeriodicTask("restore-thaw-poller", restore.thawPollInterval(), () -> {
            int checked = thaws.pollDue(() -> !Thread.currentThread().isInterrupted());
            if (checked > 0) {
                log.debug("Checked {} pending thaw(s)", checked);
            }
            int forgotten = artifacts.deleteExpiredBefore(clock.instant().minus(KEEP_EXPIRED));
            if (forgotten > 0) {
                log.info("Forgot {} restore artifact(s) whose URLs expired", forgotten);
            }
        });
    }

    /** Every {@code backbus.uploader.claims.sweep-interval}: aborts multipart uploads nobody completes (ADR 0013). */
    @Bean
    PeriodicTask abandonedUploadSweep(AbandonedUploads abandoned, ClaimProperties claims) {
        return new PeriodicTask("abandoned-upload-sweep", claims.sweepInterval(), () -> {
            int aborted = abandoned.sweep();
            if (aborted > 0) {
                log.info("Aborted {} abandoned multipart upload(s)", aborted);
            }
        });
    }
}
