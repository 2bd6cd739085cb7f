package io.backbus.scheduler.config;

import io.backbus.scheduler.domain.DuePlanFirer;
import io.backbus.scheduler.domain.RestoreTestFirer;
import io.backbus.scheduler.domain.StalledRestoreDetector;
import io.backbus.scheduler.domain.StalledRunDetector;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the plan firer and the restore-test firer every tick, and the stalled-run and stalled-restore detectors
 * every stall check. Each task has its own thread ({@code spring.task.scheduling.pool.size}), so a slow catalog
 * delays restore tests only, never backups.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfig implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SchedulingConfig.class);

    private final SchedulerProperties properties;
    private final DuePlanFirer firer;
    private final StalledRunDetector stalledRuns;
    private final RestoreTestFirer restoreTests;
    private final StalledRestoreDetector stalledRestores;

    SchedulingConfig(SchedulerProperties properties, DuePlanFirer firer, StalledRunDetector stalledRuns,
            RestoreTestFirer restoreTests, StalledRestoreDetector stalledRestores) {
        this.properties = properties;
        this.firer = firer;
        this.stalledRuns = stalledRuns;
        this.restoreTests = restoreTests;
        this.stalledRestores = stalledRestores;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(() -> drain("firing due plans", firer::fireDuePlans, DuePlanFirer.BATCH),
                properties.tick());
        registrar.addFixedDelayTask(
                () -> drain("failing stalled runs", stalledRuns::failStalledRuns, StalledRunDetector.BATCH),
                properties.stallCheck());
        registrar.addFixedDelayTask(() -> drain("firing due restore tests", restoreTests::fireDueRestoreTests,
                RestoreTestFirer.BATCH), properties.tick());
        registrar.addFixedDelayTask(() -> drain("failing stalled restores", stalledRestores::failStalledRestores,
                StalledRestoreDetector.BATCH), properties.stallCheck());
    }

    /** Repeats a batch (each its own transaction) while batches come back full, so a backlog clears in one go. */
    private static void drain(String what, IntSupplier batch, int batchSize) {
        try {
            while (batch.getAsInt() >= batchSize) {
                // more may be waiting
            }
        } catch (RuntimeException e) {
            log.warn("{} failed, will try again: {}", what, e.getMessage(), e);
        }
    }
}
