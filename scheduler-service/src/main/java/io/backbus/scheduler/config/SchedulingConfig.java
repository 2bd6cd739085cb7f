package io.backbus.scheduler.config;

import io.backbus.scheduler.domain.DuePlanFirer;
import io.backbus.scheduler.domain.StalledRunDetector;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Runs the plan firer every tick and the stalled-run detector every stall check, at the configured rates. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfig implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SchedulingConfig.class);

    private final SchedulerProperties properties;
    private final DuePlanFirer firer;
    private final StalledRunDetector stalledRuns;

    SchedulingConfig(SchedulerProperties properties, DuePlanFirer firer, StalledRunDetector stalledRuns) {
        this.properties = properties;
        this.firer = firer;
        this.stalledRuns = stalledRuns;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(() -> drain("firing due plans", firer::fireDuePlans, DuePlanFirer.BATCH),
                properties.tick());
        registrar.addFixedDelayTask(
                () -> drain("failing stalled runs", stalledRuns::failStalledRuns, StalledRunDetector.BATCH),
                properties.stallCheck());
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
