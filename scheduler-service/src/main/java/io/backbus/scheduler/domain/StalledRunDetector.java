package io.backbus.scheduler.domain;

import io.backbus.contracts.FailureStage;
import io.backbus.scheduler.config.SchedulerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fails runs that sat in REQUESTED or DUMPED longer than {@code backbus.scheduler.run-timeout}, and publishes a
 * BackupFailed for each so someone is told. Replicas share the work with {@code FOR UPDATE SKIP LOCKED}.
 */
@Service
public class StalledRunDetector {

    private static final Logger log = LoggerFactory.getLogger(StalledRunDetector.class);
    /** The most runs failed in one transaction. */
    public static final int BATCH = 100;

    private final RunStore runs;
    private final RunEvents events;
    private final Clock clock;
    private final Duration timeout;

    public StalledRunDetector(RunStore runs, RunEvents events, Clock clock, SchedulerProperties properties) {
        this.runs = runs;
        this.events = events;
        this.clock = clock;
        this.timeout = properties.runTimeout();
    }

    /**
     * Fails up to {@link #BATCH} stalled runs in one transaction.
     *
     * @return how many runs it failed
     */
    @Transactional
    public int failStalledRuns() {
        Instant now = PlanService.now(clock);
        List<Run> stalled = runs.lockStalled(now.minus(timeout), BATCH);
        for (Run run : stalled) {
            String reason = "run stalled in " + run.state() + " for more than " + humanReadable(timeout);
            Run failed = run.failed(FailureStage.SCHEDULE, reason, now, now);
            runs.update(failed);
            events.failed(failed);
            log.warn("Run {} of plan {} failed: {}", run.id(), run.planId(), reason);
        }
        return stalled.size();
    }

    /** {@code 6h}, {@code 90m}, {@code 45s}: how an operator writes the setting. */
    static String humanReadable(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1_000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
