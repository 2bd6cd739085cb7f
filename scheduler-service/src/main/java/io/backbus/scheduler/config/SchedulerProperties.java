package io.backbus.scheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the scheduler, under {@code backbus.scheduler}. A missing setting takes its default; a zero or
 * negative one fails the start naming it.
 *
 * @param tick       how often due plans are looked for (default 1s): the worst-case lateness of a slot
 * @param runTimeout how long a run may stay REQUESTED or DUMPED before it is failed as stalled (default 6h)
 * @param stallCheck how often stalled runs are looked for (default 1m)
 */
@ConfigurationProperties("backbus.scheduler")
public record SchedulerProperties(Duration tick, Duration runTimeout, Duration stallCheck) {

    public SchedulerProperties {
        tick = positive("backbus.scheduler.tick", tick, Duration.ofSeconds(1));
        runTimeout = positive("backbus.scheduler.run-timeout", runTimeout, Duration.ofHours(6));
        stallCheck = positive("backbus.scheduler.stall-check", stallCheck, Duration.ofMinutes(1));
    }

    private static Duration positive(String name, Duration value, Duration defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
