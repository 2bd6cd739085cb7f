package io.backbus.notifier.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: {@code min(maxBackoff, initialBackoff * 2^(attempts-1))}, jittered by
 * ±20 % (never above the cap) so alerts that failed together do not retry in lock-step; after
 * {@code maxAttempts} attempts, give up.
 */
public final class DeliveryPolicy {

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final DoubleSupplier random;

    public DeliveryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(maxAttempts, initialBackoff, maxBackoff, () -> ThreadLocalRandom.current().nextDouble());
    }

    DeliveryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.random = random;
    }

    /** Whether an alert that failed {@code attempts} times is given up. */
    public boolean givesUpAfter(int attempts) {
        return attempts >= maxAttempts;
    }

    /** The next attempt of an alert that failed {@code attempts} (≥ 1) times, the last one at {@code now}. */
    public Instant nextAttemptAfter(int attempts, Instant now) {
        return now.plus(backoff(attempts));
    }

    Duration backoff(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        long initial = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        long base = doublings >= 62 || initial > (cap >> Math.min(doublings, 62)) ? cap
                : Math.min(cap, initial << doublings);
        double jitter = 0.8 + 0.4 * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.min(cap, Math.round(base * jitter))));
    }

    public int maxAttempts() {
        return maxAttempts;
    }
}
